" Detect Deon policy files by their extension.
autocmd BufNewFile,BufRead *.deon setfiletype deon
