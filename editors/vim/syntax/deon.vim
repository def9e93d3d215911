" Vim syntax file
" Language:   Deon (policy-as-code for regulatory obligations)
" Filenames:  *.deon
"
" Several Deon keywords are phrases ("must not", "in a timely manner",
" "order to correct"), so most items are matches rather than keywords.
" Where two matches start at the same place Vim prefers the one defined
" last, which is why every phrase is defined after the words it begins with.

if exists("b:current_syntax")
  finish
endif

let s:cpo_save = &cpo
set cpo&vim

syn case match
syn iskeyword @,48-57,_,192-255

" ---------------------------------------------------------------- comments and strings
syn keyword deonTodo contained TODO FIXME XXX NOTE
syn match   deonComment "//.*$" contains=deonTodo,@Spell
syn match   deonEscape  /\\./ contained
syn region  deonString  start=/"/ skip=/\\\\\|\\"/ end=/"/ contains=deonEscape,@Spell

" ---------------------------------------------------------------- literals
syn match   deonNumber   /\<\%(\d\{1,3}\%(,\d\{3}\)\+\|\d[0-9_]*\)\>/
syn match   deonDate     /\<\d\{4}-\d\{2}-\d\{2}\>/
syn match   deonDuration /\<\%(\d\{1,3}\%(,\d\{3}\)\+\|\d[0-9_]*\)\s\+\%(working\s\+\%(days\|day\)\|days\|day\|weeks\|week\|months\|month\|years\|year\)\>/
syn match   deonMoney    /\<\%(\d\{1,3}\%(,\d\{3}\)\+\|\d[0-9_]*\)\s\+CNY\>/
syn keyword deonBoolean  true false
syn keyword deonBuiltin  today

" ---------------------------------------------------------------- types
syn keyword deonType     bool int text date duration money
syn match   deonType     /\<\%(set\|list\)\s\+of\>/
syn match   deonOptional /?/

" ---------------------------------------------------------------- operators
syn match   deonOperator /!=\|<=\|>=\|[=<>+-]/
syn match   deonOperator /\<\%(and\|or\|not\|in\|is\|contains\)\>/
syn match   deonOperator /\<is\s\+not\>/
syn match   deonOperator /\<not\s\+in\>/
syn match   deonPresence /\<is\s\+\%(set\|unset\|not\s\+set\)\>/

" ---------------------------------------------------------------- declarations
syn match   deonDeclaration /\<\%(regulation\|enum\|define\|role\|penalty\|rule\)\>/ nextgroup=deonDeclName skipwhite skipempty
syn match   deonDeclaration /\<facts\>/
syn match   deonDeclName    /\<\h\w*\>/ contained

" ---------------------------------------------------------------- regulation header
syn match   deonHeader  /\<\%(jurisdiction\|source\|status\)\>/
syn match   deonHeader  /\<title\>/ nextgroup=deonLangTag skipwhite
syn match   deonLangTag /\<\l\{2,3}\>/ contained
syn match   deonStatus  /\<\%(draft\|repealed\)\>/
syn match   deonStatus  /\<in\s\+force\>/
syn match   deonHeader  /\<issued\s\+\%(by\|on\)\>/
syn match   deonHeader  /\<effective\s\+from\>/
syn match   deonHeader  /\<repealed\s\+on\>/

" ---------------------------------------------------------------- rule clauses
syn match   deonClause  /\<\%(cite\|when\|unless\|as\|on\)\>/
syn match   deonClause  /\<applies\s\+to\>/
syn match   deonClause  /\<\%(done\|breached\)\s\+when\>/
syn match   deonClause  /\<kept\s\+for\>/
syn match   deonClause  /\<until\>/
syn match   deonClause  /\<allow\>/
syn match   deonClause  /\<rolls\s\+over\s\+holidays\>/
syn match   deonClause  /\<version\>/
syn match   deonClause  /\<from\>/
syn match   deonClause  /\<exception\s\+to\>/ nextgroup=deonDeclName skipwhite

" ---------------------------------------------------------------- modalities
syn match   deonMust    /\<must\>/
syn match   deonMustNot /\<must\s\+not\>/
syn match   deonMay     /\<may\>/
syn match   deonShould  /\<should\>/

" ---------------------------------------------------------------- sanctions
syn match   deonSanctionWord /\<\%(up\s\+to\|to\|for\s\+life\|for\)\>/
syn match   deonSanction /\<\%(warning\|fine\|detention\)\>/
syn match   deonSanction /\<order\s\+to\s\+correct\>/
syn match   deonSanction /\<confiscation\s\+of\s\+illegal\s\+gains\>/
syn match   deonSanction /\<ban\s\+from\s\+key\s\+positions\>/
syn match   deonSanction /\<criminal\s\+liability\>/
syn match   deonSanction /\<suspension\s\+\%(of\s\+business\|for\s\+rectification\)\>/
syn match   deonSanction /\<closure\s\+of\s\+website\>/
syn match   deonSanction /\<revocation\s\+of\s\+\%(licence\|license\|permit\)\>/
syn match   deonParty    /\<on\s\+the\s\+\%(entity\|person\s\+in\s\+charge\|individual\)\>/

" ---------------------------------------------------------------- deadlines
syn match   deonDeadline /\<\%(within\|of\|before\|by\|immediately\|promptly\|after\)\>/
syn match   deonDeadline /\<without\s\+delay\>/
syn match   deonDeadline /\<for\s\+at\s\+least\>/
syn match   deonDeadline /\<in\s\+a\s\+timely\s\+manner\>/

" ---------------------------------------------------------------- colours
hi def link deonComment      Comment
hi def link deonTodo         Todo
hi def link deonString       String
hi def link deonEscape       SpecialChar
hi def link deonNumber       Number
hi def link deonDate         Constant
hi def link deonDuration     Number
hi def link deonMoney        Number
hi def link deonBoolean      Boolean
hi def link deonBuiltin      Constant
hi def link deonType         Type
hi def link deonOptional     Type
hi def link deonOperator     Operator
hi def link deonPresence     Operator
hi def link deonDeclaration  Structure
hi def link deonDeclName     Function
hi def link deonHeader       Keyword
hi def link deonLangTag      Special
hi def link deonStatus       Constant
hi def link deonClause       Keyword
hi def link deonModality     Statement
hi def link deonMust         deonModality
hi def link deonMustNot      Exception
hi def link deonMay          deonModality
hi def link deonShould       deonModality
hi def link deonSanction     Special
hi def link deonSanctionWord Special
hi def link deonParty        Identifier
hi def link deonDeadline     PreProc

let b:current_syntax = "deon"

let &cpo = s:cpo_save
unlet s:cpo_save
