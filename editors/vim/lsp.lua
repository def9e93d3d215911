-- Neovim (0.8 or later): start `deon lsp` for Deon policy files.
-- Put this in your init.lua, or `:luafile` it. Neovim 0.11 users may use
-- vim.lsp.config/vim.lsp.enable instead; the command is the same.
vim.filetype.add({ extension = { deon = "deon" } })

vim.api.nvim_create_autocmd("FileType", {
  pattern = "deon",
  callback = function(args)
    local root = vim.fs.dirname(vim.fs.find({ ".git", "policies" }, {
      upward = true,
      path = vim.api.nvim_buf_get_name(args.buf),
    })[1] or vim.api.nvim_buf_get_name(args.buf))
    vim.lsp.start({
      name = "deon",
      cmd = { "deon", "lsp" },
      root_dir = root,
    })
  end,
})
