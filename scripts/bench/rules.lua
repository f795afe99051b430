-- The connection core's rules as plain Lua functions and tables: what an engineer would
-- write by hand instead of runbook. The benchmark's baseline; it stops at the first
-- violation or failed expectation like `runbook run`.
local R = {}
local role, grants, connected, order = {}, {}, {}, {}
local grant_count, statements = 0, 0

local function fail(message) io.stderr:write(message, "\n"); os.exit(1) end

local function check_connect(a)
  if not role[a] then return "unknown-member" end
  if role[a] ~= "admin" then return "connect-requires-admin" end
  if grants[a] then return "access-blocks-connect" end
  if connected[a] then return "already-connected" end
end

local function check_disconnect(a)
  if not role[a] then return "unknown-member" end
  if not connected[a] then return "disconnect-requires-connection" end
  if #order == 1 and grant_count > 0 then return "disconnect-strands-users" end
end

local function check_grant(a, targets)
  if not role[a] then return "unknown-member" end
  for _, t in ipairs(targets) do if not role[t] then return "unknown-member" end end
  if not connected[a] then return "access-requires-connection" end
  for _, t in ipairs(targets) do if grants[t] then return "already-has-access" end end
  for _, t in ipairs(targets) do if connected[t] then return "already-connected" end end
end

local function check_revoke(a, targets)
  if not role[a] then return "unknown-member" end
  for _, t in ipairs(targets) do if not role[t] then return "unknown-member" end end
  if not connected[a] then return "access-requires-connection" end
  for _, t in ipairs(targets) do if not grants[t] then return "no-access-to-revoke" end end
end

local checks = {}

function R.declare(r, names)
  statements = statements + 1
  for _, n in ipairs(names) do
    if role[n] then fail("duplicate-member") end
    role[n] = r
  end
end

function R.connect(a)
  statements = statements + 1
  local v = check_connect(a); if v then fail(v) end
  connected[a] = true; order[#order + 1] = a
end

function R.disconnect(a)
  statements = statements + 1
  local v = check_disconnect(a); if v then fail(v) end
  connected[a] = nil
  for i = #order, 1, -1 do if order[i] == a then table.remove(order, i); break end end
end

function R.grant(a, targets)
  statements = statements + 1
  local v = check_grant(a, targets); if v then fail(v) end
  for _, t in ipairs(targets) do grants[t] = true; grant_count = grant_count + 1 end
end

function R.revoke(a, targets)
  statements = statements + 1
  local v = check_revoke(a, targets); if v then fail(v) end
  for _, t in ipairs(targets) do grants[t] = nil; grant_count = grant_count - 1 end
end

local function is_connected(n)
  return connected[n] or (grants[n] and #order > 0)
end

function R.expect_connected(n) statements = statements + 1; if not is_connected(n) then fail("failed") end end
function R.expect_not_connected(n) statements = statements + 1; if is_connected(n) then fail("failed") end end
function R.expect_access(n) statements = statements + 1; if not grants[n] then fail("failed") end end
function R.expect_owner(n) statements = statements + 1; if order[#order] ~= n then fail("failed") end end

checks[R.connect] = check_connect
checks[R.disconnect] = check_disconnect
checks[R.grant] = check_grant
checks[R.revoke] = check_revoke

function R.expect_violation(rule, action, ...)
  statements = statements + 1
  local v = checks[action](...)
  if v ~= rule then fail("failed: expected " .. rule) end
end

function R.summary() io.write(statements, " statements\n") end

return R
