;;; deon-mode.el --- Major mode for Deon policy files  -*- lexical-binding: t; -*-

;; Version: 0.1.0
;; Package-Requires: ((emacs "25.1"))
;; Keywords: languages
;; SPDX-License-Identifier: MIT OR Apache-2.0

;;; Commentary:

;; Deon is a policy-as-code language for regulatory obligations; its files
;; end in `.deon'.  This mode gives them syntax highlighting, `//' comments
;; and brace-based indentation.
;;
;; Install by putting this file on `load-path' and adding
;;
;;     (require 'deon-mode)
;;
;; to your init file.  Files ending in `.deon' then open in `deon-mode'.
;; With eglot, `M-x eglot' in a Deon file starts `deon lsp'; to start it
;; for every Deon file, add
;;
;;     (add-hook 'deon-mode-hook #'eglot-ensure)

;;; Code:

(defgroup deon nil
  "Major mode for Deon policy files."
  :group 'languages
  :prefix "deon-")

(defcustom deon-indent-offset 2
  "Number of columns for each level of indentation in Deon files."
  :type 'integer
  :safe #'integerp)

(defface deon-modality-face
  '((t :inherit font-lock-keyword-face :weight bold))
  "Face for the modalities `must', `may' and `should'.")

(defface deon-prohibition-face
  '((t :inherit font-lock-warning-face))
  "Face for the modality `must not'.")

(defface deon-deadline-face
  '((t :inherit font-lock-preprocessor-face))
  "Face for deadline words such as `within', `before' and `promptly'.")

(defface deon-sanction-face
  '((t :inherit font-lock-builtin-face))
  "Face for sanctions such as `warning', `fine' and `order to correct'.")

(defface deon-literal-face
  '((t :inherit font-lock-constant-face))
  "Face for dates, numbers, durations and amounts of money.")

(defface deon-operator-face
  '((t :inherit font-lock-builtin-face))
  "Face for operators such as `and', `not in' and `is set'.")

(defun deon--phrases (&rest phrases)
  "Return a regexp matching any of PHRASES as whole words.
A space in a phrase matches any run of spaces and tabs.  Longer
phrases are tried first, so `must not' wins over `must'."
  (let ((sorted (sort (copy-sequence phrases)
                      (lambda (a b) (> (length a) (length b))))))
    (concat "\\_<\\(?:"
            (mapconcat (lambda (phrase)
                         (replace-regexp-in-string
                          " " "[ \t]+" (regexp-quote phrase) t t))
                       sorted "\\|")
            "\\)\\_>")))

(defconst deon--ident "\\(\\(?:\\sw\\|\\s_\\)+\\)"
  "Regexp for an identifier, captured as a group.")

(defconst deon--number "\\(?:[0-9]\\{1,3\\}\\(?:,[0-9]\\{3\\}\\)+\\|[0-9][0-9_]*\\)"
  "Regexp for a number, with optional `,' or `_' digit groups.")

(defconst deon--declaration-keywords
  '("regulation" "enum" "facts" "define" "role" "penalty" "rule")
  "Keywords that start a top-level declaration.")

(defconst deon--header-keywords
  '("title" "issued by" "issued on" "effective from" "repealed on"
    "jurisdiction" "source" "status")
  "Fields of the regulation header.")

(defconst deon--status-values '("draft" "in force" "repealed")
  "Values of the `status' field.")

(defconst deon--clause-keywords
  '("cite" "applies to" "from" "when" "unless" "done when" "breached when"
    "done on" "breached on" "if" "kept for" "exception to" "as" "on" "until"
    "rolls over holidays" "version" "tier" "review" "arguable"
    "one of" "order one of" "allow")
  "Clause keywords of rules, roles and definitions.")

(defconst deon--deadline-keywords
  '("within" "of" "before" "by" "for at least" "immediately" "promptly" "after"
    "without delay" "in a timely manner")
  "Words that state when a duty falls due.")

(defconst deon--sanctions
  '("order to correct" "warning" "fine" "confiscation of illegal gains"
    "detention" "ban from key positions" "criminal liability"
    "suspension of business" "suspension for rectification"
    "closure of website" "revocation of licence" "revocation of license"
    "revocation of permit")
  "Sanctions a penalty can impose.")

(defconst deon--sanction-words '("up to" "to" "for life" "for")
  "Connecting words inside sanctions.")

(defconst deon--liable-parties '("entity" "person in charge" "individual")
  "Who a sanction falls on, after `on the'.")

(defconst deon--operators
  '("and" "or" "not" "in" "not in" "contains" "is" "is not"
    "is set" "is unset" "is not set")
  "Word operators.")

(defconst deon--types '("bool" "int" "text" "date" "duration" "money")
  "Built-in fact types.")

(defconst deon--units
  '("working days" "working day" "days" "day" "weeks" "week"
    "months" "month" "years" "year")
  "Units of a duration.")

(defconst deon-font-lock-keywords
  (let ((ws "[ \t]+"))
    `(;; Declarations and the names they introduce.
      (,(concat "\\_<\\(rule\\|define\\)\\_>" ws deon--ident)
       (1 font-lock-keyword-face) (2 font-lock-function-name-face))
      (,(concat "\\_<\\(enum\\|role\\|penalty\\)\\_>" ws deon--ident)
       (1 font-lock-keyword-face) (2 font-lock-type-face))
      (,(concat "\\_<\\(regulation\\)\\_>" ws deon--ident)
       (1 font-lock-keyword-face) (2 font-lock-constant-face))
      (,(concat "\\_<\\(exception" ws "to\\)\\_>" ws deon--ident)
       (1 font-lock-keyword-face) (2 font-lock-function-name-face))
      (,(apply #'deon--phrases deon--declaration-keywords) . font-lock-keyword-face)
      ;; The regulation header.
      ("\\_<\\(title\\)\\_>[ \t]+\\([a-z]\\{2,3\\}\\)\\_>"
       (1 font-lock-keyword-face) (2 font-lock-constant-face))
      (,(apply #'deon--phrases deon--header-keywords) . font-lock-keyword-face)
      (,(apply #'deon--phrases deon--status-values) . font-lock-constant-face)
      ;; Modalities.
      (,(deon--phrases "must not") . 'deon-prohibition-face)
      (,(deon--phrases "must" "may" "should") . 'deon-modality-face)
      ;; Literals.
      ("\\_<[0-9]\\{4\\}-[0-9]\\{2\\}-[0-9]\\{2\\}\\_>" . 'deon-literal-face)
      (,(concat "\\_<" deon--number ws "\\(?:CNY\\)\\_>") . 'deon-literal-face)
      (,(concat "\\_<" deon--number ws (apply #'deon--phrases deon--units))
       . 'deon-literal-face)
      (,(concat "\\_<" deon--number "\\_>") . 'deon-literal-face)
      ;; Sanctions and who they fall on.
      (,(apply #'deon--phrases deon--sanctions) . 'deon-sanction-face)
      (,(concat "\\_<\\(on" ws "the\\)" ws
                "\\(" (apply #'deon--phrases deon--liable-parties) "\\)")
       (1 'deon-sanction-face) (2 font-lock-variable-name-face))
      ;; Types, before the deadline word `of'.
      (,(deon--phrases "set of" "list of") . font-lock-type-face)
      (,(apply #'deon--phrases deon--types) . font-lock-type-face)
      ;; Choice groups before the deadline word `of'.
      (,(deon--phrases "order one of" "one of") . font-lock-keyword-face)
      ;; Deadlines come before operators so that `in a timely manner'
      ;; is not read as the operator `in'.
      (,(apply #'deon--phrases deon--deadline-keywords) . 'deon-deadline-face)
      (,(apply #'deon--phrases deon--clause-keywords) . font-lock-keyword-face)
      (,(apply #'deon--phrases deon--sanction-words) . 'deon-sanction-face)
      ;; Operators and constants.
      (,(apply #'deon--phrases deon--operators) . 'deon-operator-face)
      ("!=\\|<=\\|>=\\|[=<>+?-]" . 'deon-operator-face)
      (,(deon--phrases "true" "false" "today") . font-lock-constant-face)))
  "Highlighting for `deon-mode'.
Earlier entries win: a word already highlighted by one entry is
left alone by the ones after it.")

(defvar deon-mode-syntax-table
  (let ((table (make-syntax-table)))
    (modify-syntax-entry ?/ ". 12" table)
    (modify-syntax-entry ?\n ">" table)
    (modify-syntax-entry ?\" "\"" table)
    (modify-syntax-entry ?\\ "\\" table)
    (modify-syntax-entry ?_ "_" table)
    (dolist (char '(?. ?, ?: ?? ?= ?< ?> ?! ?+ ?-))
      (modify-syntax-entry char "." table))
    table)
  "Syntax table for `deon-mode'.")

(defconst deon--top-level-regexp
  (concat "[ \t]*\\(?:"
          (apply #'deon--phrases deon--declaration-keywords)
          "\\|//\\|}\\|$\\)")
  "Regexp for a line that starts a declaration, a comment or nothing.")

(defun deon--indentation ()
  "Return the column the current line should be indented to."
  (save-excursion
    (back-to-indentation)
    (let* ((depth (car (syntax-ppss)))
           (closing (looking-at-p "[})]"))
           (level (if closing (1- depth) depth)))
      ;; At the top level, a line that does not start a declaration
      ;; continues the one before it, such as the `as' line of a `define'.
      (when (and (= depth 0)
                 (not (save-excursion
                        (beginning-of-line)
                        (looking-at-p deon--top-level-regexp))))
        (setq level 1))
      (* deon-indent-offset (max level 0)))))

(defun deon-indent-line ()
  "Indent the current line of Deon by its depth in braces and parentheses."
  (interactive)
  (let ((column (deon--indentation)))
    (if (<= (current-column) (current-indentation))
        (indent-line-to column)
      (save-excursion (indent-line-to column)))))

;;;###autoload
(define-derived-mode deon-mode prog-mode "Deon"
  "Major mode for editing Deon policy files."
  :syntax-table deon-mode-syntax-table
  :group 'deon
  (setq-local comment-start "// ")
  (setq-local comment-end "")
  (setq-local comment-start-skip "//+[ \t]*")
  (setq-local font-lock-defaults '(deon-font-lock-keywords))
  (setq-local indent-line-function #'deon-indent-line)
  (setq-local indent-tabs-mode nil)
  (setq-local electric-indent-chars
              (append '(?\{ ?\} ?\( ?\)) electric-indent-chars)))

;;;###autoload
(add-to-list 'auto-mode-alist '("\\.deon\\'" . deon-mode))

(provide 'deon-mode)

;; The language server: `deon lsp' gives errors as you type, hover,
;; go to definition, references, completion and rename, through eglot
;; (built into Emacs 29; a package for older versions).
;;;###autoload
(with-eval-after-load 'eglot
  (add-to-list 'eglot-server-programs '(deon-mode . ("deon" "lsp"))))

;;; deon-mode.el ends here
