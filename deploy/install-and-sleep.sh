#!/bin/sh
# Entry point of the installer image (deploy/Dockerfile): installs the plugins and 10-azure.conflist into the
# node's /opt/cni/bin and /etc/cni/net.d (mounted under /host), optionally prepares the host, then sleeps so
# the DaemonSet pod stays Running. A new image version rolled out by the DaemonSet upgrades the node in
# place: every binary is replaced atomically and the previous version is kept for --rollback.
set -eu
HOST=${AZURE_CNI_HOST_ROOT:-/host}
/azure-cni/install-cni-plugin.sh --prefix "$HOST" \
    --from "/azure-cni/azure-vnet-cni-linux-amd64-v${AZURE_CNI_VERSION}.tgz" "${AZURE_CNI_VERSION}"

# Outside AKS: IP forwarding, FORWARD ACCEPT and outbound MASQUERADE (needs hostNetwork and privileged).
case "${AZURE_CNI_HOST_CHECK:-off}" in
    fix) "$HOST/opt/cni/bin/azure-vnet" host-check --fix ${AZURE_CNI_VNET_CIDR:+--vnet-cidr "$AZURE_CNI_VNET_CIDR"} ;;
    report) "$HOST/opt/cni/bin/azure-vnet" host-check ${AZURE_CNI_VNET_CIDR:+--vnet-cidr "$AZURE_CNI_VNET_CIDR"} || true ;;
esac

trap 'exit 0' TERM INT
while :; do sleep 3600 & wait $!; done
