;;; deon-mode-test.el --- Tests of deon-mode, run in batch  -*- lexical-binding: t; -*-

;; emacs --batch -L editors/emacs -l editors/emacs/deon-mode.el -l editors/emacs/test/deon-mode-test.el \
;;   -f ert-run-tests-batch-and-exit
;; Every word keyword of grammar/deon.pest in the shipped policies and the
;; samples gets a face (outside strings and comments, declared enum values
;; and fact paths aside); the indentation sample re-indents to itself; eglot
;; knows to start `deon lsp'.

(require 'ert)
(require 'deon-mode)

(defconst deon-test--root
  (expand-file-name "../../.." (file-name-directory (or load-file-name buffer-file-name))))

(defun deon-test--keywords ()
  "The quoted words of the pest grammar, outside // comments."
  (with-temp-buffer
    (insert-file-contents (expand-file-name "grammar/deon.pest" deon-test--root))
    (let ((words (make-hash-table :test #'equal)))
      (goto-char (point-min))
      (while (not (eobp))
        (let ((line (buffer-substring (line-beginning-position) (line-end-position)))
              (start 0))
          (when (string-match "//.*$" line)
            (setq line (substring line 0 (match-beginning 0))))
          (while (string-match "\"\\([A-Za-z][A-Za-z]+\\)\"" line start)
            (unless (equal (match-string 1 line) "CNY")
              (puthash (match-string 1 line) t words))
            (setq start (match-end 0))))
        (forward-line 1))
      words)))

(defun deon-test--files ()
  (append (directory-files-recursively (expand-file-name "policies" deon-test--root) "\\.deon\\'")
          (directory-files-recursively (expand-file-name "editors/vscode/tests" deon-test--root) "\\.deon\\'")
          (directory-files-recursively (expand-file-name "editors/test" deon-test--root) "\\.deon\\'")))

(defun deon-test--declared ()
  "Enum values declared in the current buffer."
  (let ((values (make-hash-table :test #'equal)))
    (save-excursion
      (goto-char (point-min))
      (while (re-search-forward "^[ \t]*enum\\_>[^{]*{" nil t)
        (let ((end (save-excursion (backward-char) (forward-sexp) (point))))
          (while (re-search-forward "^[ \t]*\\([A-Za-z_][A-Za-z0-9_]*\\)" end t)
            (puthash (match-string 1) t values)))))
    values))

(ert-deftest deon-mode-colours-every-keyword ()
  (let ((keywords (deon-test--keywords))
        (failures nil)
        (checked 0))
    (dolist (file (deon-test--files))
      (with-temp-buffer
        (insert-file-contents file)
        (deon-mode)
        (font-lock-ensure)
        (let ((declared (deon-test--declared)))
          (goto-char (point-min))
          (while (re-search-forward "\\_<[A-Za-z]+\\_>" nil t)
            (let* ((word (match-string 0))
                   (start (match-beginning 0))
                   (state (save-excursion (syntax-ppss start)))
                   (face (get-text-property start 'face)))
              (when (and (gethash word keywords)
                         (not (gethash word declared))
                         (not (nth 3 state)) (not (nth 4 state))
                         (not (eq (char-before start) ?.))
                         (not (eq (char-after (match-end 0)) ?.)))
                (setq checked (1+ checked))
                (when (null face)
                  (push (format "%s:%d: `%s' has no keyword face"
                                (file-relative-name file deon-test--root)
                                (line-number-at-pos start) word)
                        failures))))))))
    (message "%d keywords checked" checked)
    (should (> checked 1000))
    (should (equal (reverse failures) nil))))

(ert-deftest deon-mode-indents-the-sample-as-written ()
  (let ((file (expand-file-name "editors/test/indent.deon" deon-test--root)))
    (with-temp-buffer
      (insert-file-contents file)
      (let ((expected (buffer-string)))
        (deon-mode)
        ;; Flatten, then indent every line.
        (goto-char (point-min))
        (while (re-search-forward "^[ \t]+" nil t) (replace-match ""))
        (indent-region (point-min) (point-max))
        (should (equal (buffer-string) expected))))))

(ert-deftest deon-mode-starts-deon-lsp-with-eglot ()
  (if (not (require 'eglot nil t))
      (message "eglot is not installed: its set-up is not tested")
    (should (equal (cdr (assoc 'deon-mode eglot-server-programs)) '("deon" "lsp")))))

(ert-deftest deon-mode-opens-deon-files ()
  (should (eq (cdr (assoc "\\.deon\\'" auto-mode-alist)) 'deon-mode)))

;;; deon-mode-test.el ends here
