-- End to end: Neovim's own LSP client drives `runbook lsp`. Opens a runbook that runs
-- against a state file, waits for the diagnostics and checks their lines, columns and
-- codes, then hover, completion, definition, a quick fix, rename and formatting, and
-- that the server exits cleanly. Run by scripts/editors/nvim-e2e.sh; exits non-zero on
-- the first check that fails. Works with Neovim 0.7 (vim.lsp.start_client) and later.

local bin = assert(os.getenv("RUNBOOK_BIN"), "RUNBOOK_BIN names the runbook binary")
local checks = 0

local function fail(message)
  io.stderr:write("FAIL " .. message .. "\n")
  vim.cmd("cquit 1")
end

local function check(condition, message)
  if not condition then fail(message) end
  checks = checks + 1
  io.stdout:write("ok " .. message .. "\n")
end

local dir = vim.fn.tempname()
vim.fn.mkdir(dir, "p")
local state = [[{"format":"runbook-state","version":1,
"members":[{"name":"adminA","role":"admin"},{"name":"adminB","role":"admin"},{"name":"bob","role":"user"}],
"connections":["adminA"],"grants":["adminB","bob"]}]]
vim.fn.writefile(vim.split(state, "\n"), dir .. "/team.json")
local text = {
  "# handoff from adminA to adminB, checked by Åsa 😀",
  'user  "Åsa 😀"',
  'as adminA grant "Åsa 😀"',
  "",
  'scenario "wrong order" {',
  "  as adminB connect",
  "  expect owner adminB",
  "}",
  "",
  'scenario "names" {',
  '  expect "Åsa 😀", adminA  has access',
  "}",
}
local path = dir .. "/handoff.runbook"
vim.fn.writefile(text, path)

local function main()
  vim.cmd("edit " .. vim.fn.fnameescape(path))
  local buf = vim.api.nvim_get_current_buf()
  local exit_code
  local client_id = vim.lsp.start_client({
    name = "runbook",
    cmd = { bin, "lsp" },
    root_dir = dir,
    init_options = { state = "team.json" },
    on_exit = function(code) exit_code = code end,
  })
  check(client_id ~= nil, "the client starts the server")
  vim.lsp.buf_attach_client(buf, client_id)
  local client = vim.lsp.get_client_by_id(client_id)
  local uri = vim.uri_from_bufnr(buf)

  local function codes()
    local out = {}
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      table.insert(out, string.format("%d:%d %s", d.lnum, d.col, d.code or "?"))
    end
    table.sort(out)
    return table.concat(out, ", ")
  end
  local function request(method, params)
    local results = vim.lsp.buf_request_sync(buf, method, params, 10000)
    local answer = results and results[client_id]
    if not answer then fail(method .. ": no answer") end
    if answer.err or answer.error then fail(method .. ": " .. vim.inspect(answer.err or answer.error)) end
    return answer.result
  end
  local function at(line, character)
    return { textDocument = { uri = uri }, position = { line = line, character = character } }
  end
  local function lines()
    return vim.api.nvim_buf_get_lines(buf, 0, -1, false)
  end

  -- Diagnostics: the refused connect of one scenario, the failed expectation of the other,
  -- its column in bytes after the emoji (the server counts UTF-16, the client converts).
  vim.wait(10000, function() return #vim.diagnostic.get(buf) >= 2 end, 20)
  check(codes() == "10:22 failed-expectation, 5:2 access-blocks-connect",
    "diagnostics on open: lines, columns and codes (" .. codes() .. ")")

  -- Hover: the state after a statement; a member's status at that point.
  local hover = request("textDocument/hover", at(2, 0))
  check(hover.contents.value:find('adminA granted "Åsa 😀" access', 1, true) ~= nil, "hover on a statement says what it did")
  check(hover.contents.value:find("owner: adminA", 1, true) ~= nil, "hover on a statement shows the owner after it")
  vim.api.nvim_win_set_cursor(0, { 11, 22 }) -- on adminA, after the emoji, in bytes
  hover = request("textDocument/hover", vim.lsp.util.make_position_params())
  check(hover.contents.value == "adminA is an admin, connected, owner", "hover on a member after an emoji: " .. hover.contents.value)

  -- Completion: the verbs after `as adminA`, on a line being typed.
  vim.api.nvim_buf_set_lines(buf, 3, 3, false, { "as adminA " })
  local completion = request("textDocument/completion", at(3, 10))
  local labels = {}
  for _, item in ipairs(completion.items or completion) do labels[item.label] = item.kind end
  check(labels["connect"] == 3 and labels["grant"] == 3, "completion offers the verbs, as functions")
  vim.api.nvim_buf_set_lines(buf, 3, 4, false, {})

  -- Definition: a use of a member goes to its declaration.
  local definition = request("textDocument/definition", at(2, 17))
  local location = definition[1] or definition
  check(location.range.start.line == 1 and location.range.start.character == 6, "definition goes to the declaration")

  -- A quick fix: insert the step the hint names above the refused connect.
  vim.wait(5000, function() return codes():find("5:2 access-blocks-connect", 1, true) ~= nil end, 20)
  local actions = request("textDocument/codeAction", {
    textDocument = { uri = uri },
    range = { start = { line = 5, character = 2 }, ["end"] = { line = 5, character = 2 } },
    context = { diagnostics = {} },
  })
  local fix
  for _, action in ipairs(actions) do
    if action.title == "insert 'as adminA revoke adminB' above" then fix = action end
  end
  check(fix ~= nil, "a quick fix inserts the step the hint names")
  vim.lsp.util.apply_workspace_edit(fix.edit, client.offset_encoding)
  check(lines()[6] == "  as adminA revoke adminB", "the fix is applied above the refused statement")
  vim.wait(10000, function() return codes() == "11:22 failed-expectation" end, 20)
  check(codes() == "11:22 failed-expectation", "the fixed scenario passes and its diagnostic is cleared (" .. codes() .. ")")

  -- Rename: every use of a member, spelled as the language writes names.
  vim.api.nvim_win_set_cursor(0, { 3, 17 })
  vim.lsp.buf.rename("Åsa B")
  vim.wait(10000, function() return lines()[2] == 'user  "Åsa B"' end, 20)
  local renamed = table.concat(lines(), "\n")
  check(lines()[2] == 'user  "Åsa B"' and lines()[3] == 'as adminA grant "Åsa B"' and not renamed:find("😀\"", 1, true),
    "rename changes every use")

  -- Formatting: the canonical layout.
  if vim.lsp.buf.format then
    vim.lsp.buf.format({ timeout_ms = 10000 })
  else
    vim.lsp.buf.formatting_sync(nil, 10000)
  end
  check(lines()[2] == 'user "Åsa B"' and lines()[12] == '  expect "Åsa B", adminA has access', "formatting gives the canonical layout")

  -- Semantic tokens, for editors that highlight from them.
  local tokens = request("textDocument/semanticTokens/full", { textDocument = { uri = uri } })
  check(#tokens.data > 0 and #tokens.data % 5 == 0, "semantic tokens")

  vim.lsp.stop_client(client_id)
  vim.wait(10000, function() return exit_code ~= nil end, 20)
  check(exit_code == 0, "the server exits with status 0 after shutdown and exit")
  io.stdout:write(checks .. " passed, 0 failed\n")
  vim.cmd("qall!")
end

local ok, err = pcall(main)
if not ok then fail(tostring(err)) end
