# TAP helpers shared by the tests/install/*.sh scripts (sourced, not run).
# Before sourcing, set TAP_TMP to a scratch directory the script removes.
# ok DESC / nok DESC print one result; check DESC CMD... runs CMD and
# prints ok, or not ok with the last TAP_TAIL lines of its output (all by
# default) as TAP comments.  End the script with: [ "$bad" -eq 0 ]
n=0 bad=0
ok() { n=$((n+1)); echo "ok $n - $1"; }
nok() { n=$((n+1)); bad=$((bad+1)); echo "not ok $n - $1"; }
check() {
    desc=$1; shift
    if "$@" >"$TAP_TMP/out" 2>&1; then
        ok "$desc"
    else
        nok "$desc"
        if [ -n "${TAP_TAIL:-}" ]; then tail -n "$TAP_TAIL" "$TAP_TMP/out"; else cat "$TAP_TMP/out"; fi | sed 's/^/# /'
    fi
}
