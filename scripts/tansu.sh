# Sourced by scripts/test.sh, ingest-load.sh and soak.sh: the test broker
# and free ports.
#
# install_tansu: sets $tansu to Tansu 0.6.0's binary, installing it under
# $NEWSFLOW_CACHE (default ~/.cache/newsflow) first if it is missing
# (about 20 minutes on 2 cores, once).

tansu_version=0.6.0

install_tansu() {
    local cache=${NEWSFLOW_CACHE:-$HOME/.cache/newsflow}
    tansu=$cache/tansu-$tansu_version/bin/tansu
    if [ ! -x "$tansu" ]; then
        echo "installing tansu $tansu_version into $cache (slow, once)" >&2
        cargo install tansu --version "$tansu_version" --locked --features libsql \
            --root "$cache/tansu-$tansu_version" --target-dir "$cache/tansu-build"
    fi
}

port_is_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# The first port from $1 up that nothing listens on.
free_port() {
    local p=$1
    while port_is_open "$p"; do p=$((p + 1)); done
    echo "$p"
}
