#!/usr/bin/env bash
# measure.sh BIN PORT FILE: the peak RSS of a Pactum server (BIN) checking FILE
# as a partner editor's ledger (ImportLedger, validate only), on demo data.
#   go build -o bin/pactum ./cmd/pactum && go run ./internal/tools/xlsxbomb -o /tmp/bomb.xlsx
#   internal/tools/xlsxbomb/measure.sh bin/pactum 18712 /tmp/bomb.xlsx
# Needs curl and jq; talks to 127.0.0.1 only.
set -u
BIN=$1; PORT=$2; FILE=$3
D=$(mktemp -d)
trap 'rm -rf "$D"' EXIT
# Older builds have neither an audit key nor a temporary folder.
G=(--db "$D/p.db"); S=(--files "$D/files")
"$BIN" --help 2>&1 | grep -q -- --audit-key-file && G+=(--audit-key-file "$D/audit.key")
"$BIN" serve --help 2>&1 | grep -q -- --tmp && S+=(--tmp "$D/tmp")
"$BIN" "${G[@]}" serve --demo --addr "127.0.0.1:$PORT" "${S[@]}" > "$D/server.log" 2>&1 &
PID=$!
URL=http://127.0.0.1:$PORT
for _ in $(seq 1 200); do curl -s -o /dev/null "$URL/" && break; sleep 0.3; done
H=(-H 'Content-Type: application/json' -H 'X-Requested-With: pactum')
curl -s -c "$D/jar" "${H[@]}" -d '{"email":"partner.kenya@demo.pactum.example","password":"demo-partner-pass"}' \
  "$URL/pactum.v1.AuthService/SignIn" > /dev/null
GRANT=$(curl -s -b "$D/jar" "${H[@]}" -d '{}' "$URL/pactum.v1.GrantService/ListGrants" | jq -r '.grants[0].name')
printf '{"parent":"%s","fileName":"bomb.xlsx","content":"%s","validateOnly":true}' "$GRANT" "$(base64 -w0 "$FILE")" > "$D/body.json"
sleep 1
echo "binary: $BIN  grant: $GRANT  file: $FILE ($(stat -c %s "$FILE") bytes)"
echo "idle: $(grep VmRSS /proc/$PID/status | tr -s ' \t' ' ')"
echo 5 > /proc/$PID/clear_refs # VmHWM starts again from the current RSS
START=$(date +%s.%N)
CODE=$(curl -s -m 600 -o "$D/resp.json" -w '%{http_code}' -b "$D/jar" "${H[@]}" --data-binary @"$D/body.json" \
  "$URL/pactum.v1.ExpenditureService/ImportLedger")
END=$(date +%s.%N)
echo "response: HTTP $CODE $(head -c 400 "$D/resp.json")"
echo "wall: $(echo "$END - $START" | bc) s"
echo "peak: $(grep VmHWM /proc/$PID/status | tr -s ' \t' ' ')"
kill $PID; wait $PID 2>/dev/null
