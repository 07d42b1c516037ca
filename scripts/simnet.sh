#!/usr/bin/env bash
# simnet: a simulated Azure VNet made of network namespaces, for the tests and the demo.
# It never touches the machine's own namespace: everything lives in namespaces named $SIMNET_PREFIX-*.
#
#   <prefix>-vnet     the fabric: answers ARP for every VNet address (as Azure's does), routes each
#                     node's primary and secondary addresses to that node, holds the gateway x.x.0.1,
#                     and drops frames from a node whose source MAC is not the node NIC's.
#   <prefix>-node-N   a node: eth0 (MAC 00:0d:3a:00:00:0N) on the fabric, primary 10.240.N.4/16,
#                     secondaries 10.240.N.5 .. 10.240.N.(4+SECONDARIES), default route via 10.240.0.1.
#                     It starts as a fresh VM image with a hardened firewall default, as found in the field:
#                     net.ipv4.ip_forward 0, filter FORWARD policy DROP (ufw's default, Docker hosts), no
#                     MASQUERADE. simnet then prepares it as the seed README tells non-AKS users to, with
#                     `azure-vnet host-check --fix --vnet-cidr 10.240.0.0/16` run inside the node.
#   wireserver        168.63.129.16:80 inside <prefix>-vnet (socat): the NMAgent URL answers node N's
#                     nmagent.xml to any source 10.240.N.x, as Azure answers each VM its own NICs.
#                     Nodes reach it through their default route. SIMNET_WIRESERVER=0 leaves it out.
#
# Usage: simnet.sh up [NODES] | down | env
# Writes $SIMNET_DIR/node-N/interfaces.json (the fileIpam source) and nmagent.xml (the wireserver answer).
# Dual-stack listings (SIMNET_DUAL_STACK=1): both also list the IPv6 subnet fd00:240::/64 on node N's NIC, primary
# fd00:240::N:4 and secondaries fd00:240::N:5 .. fd00:240::N:(4+SECONDARIES), each group spelt as its IPv4 twin's
# last two octets (10.240.1.12 <-> fd00:240::1:12); azure-vnet-ipam's gateway for it is fd00:240::1.
# Environment:
#   SIMNET_PREFIX (azsim), SIMNET_DIR (/run/$SIMNET_PREFIX), SIMNET_SECONDARIES (30), SIMNET_WIRESERVER (1),
#   SIMNET_DUAL_STACK (0)
#   AZURE_CNI_BIN_DIR   where azure-vnet is, for the preparation (default: the checkout's output/bin)
#   SIMNET_FRESH_NODES  1: leave the nodes fresh (unprepared), e.g. to test host-check itself
set -euo pipefail
prefix=${SIMNET_PREFIX:-azsim}
dir=${SIMNET_DIR:-/run/$prefix}
secondaries=${SIMNET_SECONDARIES:-30}
wireserver=${SIMNET_WIRESERVER:-1}
fresh=${SIMNET_FRESH_NODES:-0}
dual_stack=${SIMNET_DUAL_STACK:-0}
bin=${AZURE_CNI_BIN_DIR:-$(cd "$(dirname "$0")/.." && pwd)/output/bin}
vnet_cidr=10.240.0.0/16
gateway=10.240.0.1
vnet_cidr6=fd00:240::/64
wireserver_ip=168.63.129.16
nmagent_path='/machine/plugins?comp=nmagent&type=getinterfaceinfov1'

vnet="$prefix-vnet"
node_ns() { echo "$prefix-node-$1"; }
node_mac() { printf '00:0d:3a:00:00:%02x' "$1"; }
node_ip() { echo "10.240.$1.4"; }
node_ip6() { echo "fd00:240::$1:4"; }

write_sources() { # node index
  local n=$1 d="$dir/node-$1" mac compact addrs="" xml="" addrs6="" xml6="" i json_subnets xml_subnets
  mac=$(node_mac "$n"); compact=$(echo "$mac" | tr -d ':' | tr 'a-f' 'A-F')
  mkdir -p "$d"
  addrs="{\"Address\":\"$(node_ip "$n")\",\"IsPrimary\":true}"
  xml="<IPAddress Address=\"$(node_ip "$n")\" IsPrimary=\"true\"/>"
  addrs6="{\"Address\":\"$(node_ip6 "$n")\",\"IsPrimary\":true}"
  xml6="<IPAddress Address=\"$(node_ip6 "$n")\" IsPrimary=\"true\"/>"
  for ((i = 5; i < 5 + secondaries; i++)); do
    addrs+=",{\"Address\":\"10.240.$n.$i\",\"IsPrimary\":false}"
    xml+="<IPAddress Address=\"10.240.$n.$i\" IsPrimary=\"false\"/>"
    addrs6+=",{\"Address\":\"fd00:240::$n:$i\",\"IsPrimary\":false}"
    xml6+="<IPAddress Address=\"fd00:240::$n:$i\" IsPrimary=\"false\"/>"
  done
  json_subnets="{\"Prefix\":\"$vnet_cidr\",\"IPAddresses\":[$addrs]}"
  xml_subnets="<IPSubnet Prefix=\"$vnet_cidr\">$xml</IPSubnet>"
  if [ "$dual_stack" = 1 ]; then
    json_subnets+=",{\"Prefix\":\"$vnet_cidr6\",\"IPAddresses\":[$addrs6]}"
    xml_subnets+="<IPSubnet Prefix=\"$vnet_cidr6\">$xml6</IPSubnet>"
  fi
  printf '{"Interfaces":[{"MacAddress":"%s","IsPrimary":true,"IPSubnets":[%s]}]}\n' \
    "$compact" "$json_subnets" > "$d/interfaces.json"
  printf '<Interfaces><Interface MacAddress="%s" IsPrimary="true">%s</Interface></Interfaces>\n' \
    "$compact" "$xml_subnets" > "$d/nmagent.xml"
}

# One HTTP exchange on stdin/stdout (socat runs this per connection): node N's XML to 10.240.N.x.
write_wireserver() {
  mkdir -p "$dir"
  cat > "$dir/wireserver.sh" <<SH
#!/bin/sh
IFS=' ' read -r method target _ || exit 0
while IFS= read -r header && [ "\$(printf '%s' "\$header" | tr -d '\r')" != "" ]; do :; done
node=\$(echo "\$SOCAT_PEERADDR" | sed -n 's/^10\.240\.\([0-9]*\)\.[0-9]*\$/\1/p')
file="$dir/node-\$node/nmagent.xml"
if [ "\$method" = GET ] && [ "\$target" = '$nmagent_path' ] && [ -n "\$node" ] && [ -f "\$file" ]; then
  printf 'HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: %s\r\nConnection: close\r\n\r\n' "\$(wc -c < "\$file")"
  cat "\$file"
else
  printf 'HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n'
fi
SH
  chmod 0755 "$dir/wireserver.sh"
}

start_wireserver() {
  command -v socat >/dev/null || { echo "simnet: the wireserver needs socat (apt-get install socat)" >&2; return 1; }
  write_wireserver
  ip -n "$vnet" addr add "$wireserver_ip/32" dev lo
  ip netns exec "$vnet" socat -T 5 "TCP-LISTEN:80,bind=$wireserver_ip,fork,reuseaddr" \
    "SYSTEM:$dir/wireserver.sh" </dev/null >/dev/null 2>"$dir/wireserver.log" &
  echo $! > "$dir/wireserver.pid"
  local i
  for ((i = 0; i < 50; i++)); do
    ip netns exec "$vnet" ss -Hltn "src $wireserver_ip" | grep -q . && return 0
    sleep 0.1
  done
  echo "simnet: the wireserver did not start" >&2; return 1
}

# The seed README's non-AKS steps (IP forwarding, FORWARD accept, outbound MASQUERADE exempting the VNet),
# applied the way operators are told to: by the plugin's own host-check, inside the node.
prepare_node() { # node index
  local n=$1 out
  [ -x "$bin/azure-vnet" ] || {
    echo "simnet: $bin/azure-vnet is missing: build it (make azure-vnet), set AZURE_CNI_BIN_DIR, or SIMNET_FRESH_NODES=1" >&2
    return 1
  }
  out=$(AZURE_CNI_STATE_DIR="$dir/node-$n" AZURE_CNI_LOG_DIR="$dir/node-$n" \
    ip netns exec "$(node_ns "$n")" "$bin/azure-vnet" host-check --fix --vnet-cidr "$vnet_cidr" 2>&1) || {
    echo "simnet: host-check --fix failed on $(node_ns "$n"):" >&2; echo "$out" >&2; return 1
  }
}

up() {
  local nodes=${1:-2} n ns i
  command -v iptables >/dev/null || { echo "simnet: the nodes' firewall needs iptables (apt-get install iptables)" >&2; return 1; }
  # Half a bed is worse than none: any failure below removes what was made.
  trap 'echo "simnet up failed; tearing down" >&2; down' ERR
  ip netns add "$vnet"
  ip -n "$vnet" link set lo up
  ip netns exec "$vnet" sh -c 'echo 1 > /proc/sys/net/ipv4/ip_forward'
  ip -n "$vnet" addr add "$gateway/32" dev lo
  nft_rules="table netdev azsim {"
  routes=""
  for ((n = 1; n <= nodes; n++)); do
    ns=$(node_ns "$n")
    ip netns add "$ns"
    ip -n "$ns" link set lo up
    # A fresh VM with a hardened firewall default; written explicitly, since a new namespace may inherit
    # the machine's ip_forward.
    ip netns exec "$ns" sh -c 'echo 0 > /proc/sys/net/ipv4/ip_forward'
    ip netns exec "$ns" iptables -w 5 -t filter -P FORWARD DROP
    ip link add "v$n" netns "$vnet" type veth peer name eth0 netns "$ns"
    ip -n "$ns" link set eth0 address "$(node_mac "$n")"
    ip -n "$ns" addr add "$(node_ip "$n")/16" dev eth0
    ip -n "$ns" link set eth0 up
    ip -n "$ns" route add default via "$gateway" dev eth0
    ip -n "$vnet" link set "v$n" up
    # Answer ARP at once (the kernel's default proxy_delay holds proxy replies up to 0.8 s).
    ip netns exec "$vnet" sh -c "echo 1 > /proc/sys/net/ipv4/conf/v$n/proxy_arp; echo 0 > /proc/sys/net/ipv4/neigh/v$n/proxy_delay"
    routes+="route add $(node_ip "$n")/32 dev v$n"$'\n'
    for ((i = 5; i < 5 + secondaries; i++)); do
      routes+="route add 10.240.$n.$i/32 via $(node_ip "$n") dev v$n"$'\n'
    done
    nft_rules+=$'\n'" chain from_node_$n { type filter hook ingress device \"v$n\" priority 0; ether saddr != $(node_mac "$n") drop; }"
    write_sources "$n"
    [ "$fresh" = 1 ] || prepare_node "$n"
  done
  nft_rules+=$'\n'"}"
  # One batch: a route per address, dozens per node, costs a process each otherwise.
  printf '%s' "$routes" | ip -n "$vnet" -batch -
  # Azure accepts only frames carrying the NIC's own MAC: the fabric enforces that here too.
  echo "$nft_rules" | ip netns exec "$vnet" nft -f -
  [ "$wireserver" = 0 ] || start_wireserver
  trap - ERR
  echo "simnet up: $vnet and $nodes $([ "$fresh" = 1 ] && echo fresh || echo prepared) node(s); sources under $dir"
}

down() {
  local ns
  # The socat listener (and its children) keep the fabric namespace alive: stop them first.
  if [ -f "$dir/wireserver.pid" ]; then
    kill "$(cat "$dir/wireserver.pid")" 2>/dev/null || true
  fi
  for ns in $(ip netns list | awk '{print $1}' | grep -E "^$prefix-(vnet|node-[0-9]+)$" || true); do
    ip netns del "$ns" || true
  done
  rm -rf "$dir"
}

case "${1:-}" in
  up) shift; up "$@" ;;
  down) down ;;
  env) echo "SIMNET_PREFIX=$prefix SIMNET_DIR=$dir VNET_NS=$vnet VNET_CIDR=$vnet_cidr GATEWAY=$gateway WIRESERVER=$wireserver_ip$([ "$dual_stack" = 1 ] && echo " VNET_CIDR6=$vnet_cidr6")" ;;
  *) echo "usage: $0 up [NODES] | down | env" >&2; exit 2 ;;
esac
