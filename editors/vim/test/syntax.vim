" Headless test of the Deon syntax and indent files, run by test/run.sh:
"   vim -Nu NONE -i NONE -es -S test/syntax.vim -- <keywords file> <out file> <file>...
" For every word keyword of the grammar in the given policy files (outside
" strings and comments, and not a declared enum value or a part of a fact
" path), it records the syntax group Vim gives it; a keyword with no group is
" a failure. It also re-indents each file and reports lines that move.

set nocompatible
let s:here = expand('<sfile>:p:h')
execute 'set runtimepath^=' . fnameescape(fnamemodify(s:here, ':h'))
filetype plugin indent on
syntax on

let s:args = argv()
let s:keywords = {}
for s:word in readfile(s:args[0])
  let s:keywords[s:word] = 1
endfor
let s:out = []
let s:failures = 0
let s:checked = 0
set hidden

for s:file in s:args[2:]
  execute 'silent edit ' . fnameescape(s:file)
  if &filetype !=# 'deon'
    call add(s:out, s:file . ': filetype is "' . &filetype . '", not deon')
    let s:failures += 1
    continue
  endif
  " Enum values the file declares are names, even one spelling a keyword.
  let s:declared = {}
  let s:in_enum = 0
  for s:line in getline(1, '$')
    if s:line =~# '^\s*enum\>'
      let s:in_enum = 1
    elseif s:in_enum && s:line =~# '^\s*}'
      let s:in_enum = 0
    elseif s:in_enum && s:line =~# '^\s*\h\w*'
      let s:declared[matchstr(s:line, '^\s*\zs\h\w*')] = 1
    endif
  endfor
  for s:lnum in range(1, line('$'))
    let s:line = getline(s:lnum)
    let s:start = 0
    while 1
      let s:match = matchstrpos(s:line, '\<\a\+\>', s:start)
      if s:match[1] < 0
        break
      endif
      let s:start = s:match[2]
      let s:word = s:match[0]
      let s:col = s:match[1] + 1
      if !has_key(s:keywords, s:word) || has_key(s:declared, s:word)
        continue
      endif
      if s:line[s:match[1] - 1] ==# '.' || s:line[s:match[2]] ==# '.'
        continue
      endif
      let s:group = synIDattr(synID(s:lnum, s:col, 1), 'name')
      if s:group =~# 'deonString\|deonComment\|deonEscape'
        continue
      endif
      let s:checked += 1
      if s:group ==# '' || s:group ==# 'deonDeclName'
        call add(s:out, printf('%s:%d:%d: `%s` has no keyword group (%s)', s:file, s:lnum, s:col, s:word, s:group))
        let s:failures += 1
      endif
    endwhile
  endfor
  " Indentation: re-indenting the indentation sample changes nothing.
  if fnamemodify(s:file, ':t') !=# 'indent.deon'
    continue
  endif
  let s:before = getline(1, '$')
  silent normal! gg=G
  let s:after = getline(1, '$')
  for s:i in range(len(s:before))
    if s:before[s:i] !=# s:after[s:i]
      call add(s:out, printf('%s:%d: re-indented to "%s"', s:file, s:i + 1, s:after[s:i]))
      let s:failures += 1
    endif
  endfor
endfor

call add(s:out, printf('%d keywords checked, %d failures', s:checked, s:failures))
call writefile(s:out, s:args[1])
qall!
