#!/usr/bin/env bash
# 社区论坛 under load, against a seeded demo server (rate limits off):
#   1. hot thread: CONNS connections read the first page of a 500-floor
#      thread for SECONDS, every other one signed in (陈阿姨) and the rest
#      anonymous → reads/s and latency; then, after the server's final
#      flush, checks the views in the database against the reads answered
#      (each answered read counts one view; nothing is written per read).
#   2. reply storm: CONNS connections reply to one thread as 陈阿姨 for
#      SECONDS → durable replies/s (each 201 is committed), then checks the
#      floors are unique and gap-free and equal the thread's count.
#   3. home: CONNS connections of guests on GET /api/v1/home → req/s.
# Goals (issue 14): ≥ 10,000 reads/s with p99 < 50 ms; ≥ 3,000 replies/s;
# ≥ 15,000 home req/s.
#   bench/forum.sh [postgresql://ADMIN_URL] [CONNS] [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh  # takes a leading postgresql:// argument into PG
CONNS=${1:-256}
SECONDS_=${2:-15}
command -v wrk >/dev/null || { echo "wrk is missing (scripts/deps.sh installs it)" >&2; exit 1; }
bench_start forum "$PG"

bench_login 13800000001
SESSION=$(awk '$6 == "cc_session" {print $7}' "$WORK/13800000001.jar")
[ -n "$SESSION" ] || { echo "could not log in" >&2; exit 1; }
BOARD=$(curl -sf "$URL/api/v1/forum/boards" | grep -o '"id":[0-9]*' | head -n1 | grep -o '[0-9]*')
THREAD=$(bench_post 13800000001 "/api/v1/forum/boards/$BOARD/threads" \
  '{"title":"基准测试：热门帖子","body_md":"五百层楼的热门帖子"}' | grep -o '"thread":{"id":[0-9]*' | grep -o '[0-9]*$')
[ -n "$THREAD" ] || { echo "could not create the thread" >&2; exit 1; }
for i in $(seq 2 500); do
  bench_post 13800000001 "/api/v1/forum/threads/$THREAD/posts" "{\"body_md\":\"第 $i 楼：支持！\"}" >/dev/null
done
[ "$(bench_sql "SELECT last_floor FROM forum_threads WHERE id = $THREAD")" -eq 500 ] ||
  { echo "the thread did not reach 500 floors" >&2; exit 1; }
VIEWS_BEFORE=$(bench_sql "SELECT views FROM forum_threads WHERE id = $THREAD")

# lua_counter STATUS LABEL UNIT: the part of a wrk script that counts the
# answers with STATUS across wrk's threads and prints RESULT and OK lines.
lua_counter() {
  cat <<LUA
local threads = {}
function setup(thread) table.insert(threads, thread) end
ok = 0
function response(status) if status == $1 then ok = ok + 1 end end
function done(summary, latency)
  local total = 0
  for _, t in ipairs(threads) do total = total + t:get("ok") end
  local secs = summary.duration / 1e6
  io.write(string.format("RESULT $2: %.0f $3 (%d answered $1 in %.1f s), p50 %.2f ms p99 %.2f ms\\n",
    total / secs, total, secs, latency:percentile(50) / 1000, latency:percentile(99) / 1000))
  io.write("OK " .. total .. "\\n")
end
LUA
}

bench_machine
cat >"$WORK/read.lua" <<LUA
local n = 0
function request()
  n = n + 1
  if n % 2 == 0 then
    return wrk.format("GET", "/api/v1/forum/threads/$THREAD", {["Cookie"] = "cc_session=$SESSION"})
  end
  return wrk.format("GET", "/api/v1/forum/threads/$THREAD")
end
LUA
lua_counter 200 "hot thread" "reads/s" >>"$WORK/read.lua"
echo "hot thread: $CONNS connections for $SECONDS_ s on a 500-floor thread, half signed in"
wrk -t2 -c"$CONNS" -d"${SECONDS_}s" -s "$WORK/read.lua" "$URL" >"$WORK/read.txt"
grep '^RESULT' "$WORK/read.txt" | sed 's/^RESULT //'
READS=$(grep '^OK' "$WORK/read.txt" | awk '{print $2}')

cat >"$WORK/reply.lua" <<LUA
local n = 0
function request()
  n = n + 1
  return wrk.format("POST", "/api/v1/forum/threads/$THREAD/posts",
    {["Cookie"] = "cc_session=$SESSION", ["Content-Type"] = "application/json"},
    '{"body_md":"回复风暴 ' .. n .. '"}')
end
LUA
lua_counter 201 "reply storm" "durable replies/s" >>"$WORK/reply.lua"
echo "reply storm: $CONNS connections for $SECONDS_ s replying to the same thread"
wrk -t2 -c"$CONNS" -d"${SECONDS_}s" -s "$WORK/reply.lua" "$URL" >"$WORK/reply.txt"
grep '^RESULT' "$WORK/reply.txt" | sed 's/^RESULT //'
REPLIES=$(grep '^OK' "$WORK/reply.txt" | awk '{print $2}')

cat >"$WORK/home.lua" <<LUA
function request() return wrk.format("GET", "/api/v1/home") end
LUA
lua_counter 200 "home" "req/s" >>"$WORK/home.lua"
echo "home: $CONNS connections for $SECONDS_ s on GET /api/v1/home (guests)"
wrk -t2 -c"$CONNS" -d"${SECONDS_}s" -s "$WORK/home.lua" "$URL" >"$WORK/home.txt"
grep '^RESULT' "$WORK/home.txt" | sed 's/^RESULT //'
bench_stop  # the last flush of view counts happens on the way out

VIEWS=$(($(bench_sql "SELECT views FROM forum_threads WHERE id = $THREAD") - VIEWS_BEFORE))
FLOORS=$(bench_sql "SELECT COUNT(*) FROM forum_posts WHERE thread_id = $THREAD")
DISTINCT=$(bench_sql "SELECT COUNT(DISTINCT floor) FROM forum_posts WHERE thread_id = $THREAD")
MAXF=$(bench_sql "SELECT MAX(floor) FROM forum_posts WHERE thread_id = $THREAD")
LAST=$(bench_sql "SELECT last_floor FROM forum_threads WHERE id = $THREAD")
echo "views:  $VIEWS counted for $READS reads answered (requests cut off at the end may count without an answer: up to $CONNS)"
echo "floors: $FLOORS posts, $DISTINCT distinct floors, highest $MAXF, last_floor $LAST; $REPLIES replies acknowledged"
fail=0
[ "$VIEWS" -ge "$READS" ] && [ "$VIEWS" -le $((READS + CONNS)) ] || { echo "FAIL: views do not match the reads" >&2; fail=1; }
[ "$FLOORS" -eq "$DISTINCT" ] && [ "$DISTINCT" -eq "$MAXF" ] && [ "$MAXF" -eq "$LAST" ] ||
  { echo "FAIL: floors are not unique and gap-free" >&2; fail=1; }
[ "$FLOORS" -ge $((500 + REPLIES)) ] || { echo "FAIL: an acknowledged reply is missing" >&2; fail=1; }
[ "$fail" -eq 0 ] && echo "PASS: views exact after the final flush; floors unique and gap-free; every acknowledged reply stored"
exit "$fail"
