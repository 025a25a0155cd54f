#!/usr/bin/env bash
# `make lab`: JupyterLab on nbs/ with the project's venv, runnable as root, printing how to open it.
#   make lab                      # 127.0.0.1:8888 (or the next free port), a fresh token
#   make lab IP=0.0.0.0 PORT=9000 # listen on every interface (reachable from other machines: mind the token)
#   LAB_TOKEN=secret make lab     # a token of your own; extra JupyterLab options: make lab LAB_ARGS='--no-browser'
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.venv/bin:$PATH"

ip=${IP:-127.0.0.1}
port=${PORT:-8888}
# the first free port from $port on (JupyterLab would pick another one silently, and the URL below would be wrong)
port=$(python - "$ip" "$port" <<'EOF'
import socket, sys
ip, p = sys.argv[1], int(sys.argv[2])
for q in range(p, p + 50):
    with socket.socket() as s:
        try: s.bind((ip if ip not in ('*', '') else '0.0.0.0', q)); print(q); break
        except OSError: continue
else: sys.exit(f'lab: no free port in {p}..{p + 49} on {ip}: choose one with PORT=...')
EOF
)
token=${LAB_TOKEN:-$(python -c 'import secrets; print(secrets.token_hex(24))')}
args=(--notebook-dir=nbs --ip="$ip" --port="$port" --IdentityProvider.token="$token" --ServerApp.port_retries=0)
[ "$(id -u)" = 0 ] && args+=(--allow-root)           # JupyterLab refuses root without it (containers run as root)
[ "$ip" != 127.0.0.1 ] && [ "$ip" != localhost ] && args+=(--no-browser)

host=$(hostname -f 2>/dev/null || hostname)
show=$ip; case "$ip" in 0.0.0.0|'*'|'') show=$host ;; esac
cat <<EOF
lab: JupyterLab on nbs/ (stop it with Ctrl-C)
lab:   open   http://$show:$port/lab?token=$token
lab: from another machine:
lab:   ssh port forwarding (the server stays on $ip):
lab:     ssh -N -L $port:localhost:$port ${USER:-$(id -un)}@$host     then open http://localhost:$port/lab?token=$token
lab:   or listen on every interface:   make lab IP=0.0.0.0   then open http://$host:$port/lab?token=...
EOF
exec jupyter lab "${args[@]}" ${LAB_ARGS:-}
