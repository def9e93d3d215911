" Vim filetype plugin for Deon policy files: comments and tabs.
" Indentation is in indent/deon.vim.

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
let b:undo_ftplugin = "setlocal commentstring< comments< formatoptions<"
      \ . " expandtab< shiftwidth< softtabstop<"

let &cpo = s:cpo_save
unlet s:cpo_save
