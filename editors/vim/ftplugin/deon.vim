" Vim filetype plugin for Deon policy files: comments and indentation.

if exists("b:did_ftplugin")
  finish
endif
let b:did_ftplugin = 1

let s:cpo_save = &cpo
set cpo&vim

setlocal commentstring=//\ %s
setlocal comments=://
setlocal formatoptions-=t formatoptions+=croql
setlocal expandtab shiftwidth=2 softtabstop=2
setlocal autoindent
setlocal indentexpr=DeonIndent()
setlocal indentkeys=0{,0},0),!^F,o,O

let b:undo_ftplugin = "setlocal commentstring< comments< formatoptions<"
      \ . " expandtab< shiftwidth< softtabstop< autoindent< indentexpr< indentkeys<"

" One level deeper after a line that opens a brace or parenthesis, one level
" shallower for a line that starts by closing one. A trailing // comment on
" the opening line is allowed.
function! DeonIndent() abort
  let prev_lnum = prevnonblank(v:lnum - 1)
  if prev_lnum == 0
    return 0
  endif
  let ind = indent(prev_lnum)
  let prev = getline(prev_lnum)
  if prev !~# '^\s*//' && prev =~# '[{(]\s*\%(//.*\)\=$'
    let ind += shiftwidth()
  endif
  if getline(v:lnum) =~# '^\s*[})]'
    let ind -= shiftwidth()
  endif
  return ind < 0 ? 0 : ind
endfunction

let &cpo = s:cpo_save
unlet s:cpo_save
