" Vim indent file for Deon policy files: by depth in braces and parentheses.

if exists("b:did_indent")
  finish
endif
let b:did_indent = 1

setlocal autoindent
setlocal indentexpr=DeonIndent()
setlocal indentkeys=0{,0},0),!^F,o,O

let b:undo_indent = "setlocal autoindent< indentexpr< indentkeys<"

if exists("*DeonIndent")
  finish
endif

let s:cpo_save = &cpo
set cpo&vim

" One level per brace or parenthesis the line is inside, found by matching
" brackets backwards outside strings and comments; a closing line sits at its
" opening line's level. At the top level a line that does not start a
" declaration continues the one before it (the `as` of a `define`, the `when`
" of a `role`) and is indented once.
function! DeonIndent() abort
  let line = getline(v:lnum)
  call cursor(v:lnum, 1)
  let skip = 'synIDattr(synID(line("."), col("."), 0), "name") =~# "deonString\\|deonComment"'
  let open = searchpair('[{(]', '', '[})]', 'bnW', skip)
  if open <= 0
    let start = '^\s*\%(\%(regulation\|enum\|facts\|define\|role\|penalty\|rule\)\>\|//\|[})]\|$\)'
    return line =~# start ? 0 : shiftwidth()
  endif
  if line =~# '^\s*[})]'
    return indent(open)
  endif
  return indent(open) + shiftwidth()
endfunction

let &cpo = s:cpo_save
unlet s:cpo_save
