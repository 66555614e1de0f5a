/*
 * peer.h: which process serves a local engine socket.  Used to key what
 * dockspace keeps between make runs: a restarted daemon is a different
 * identity, even on the same socket path.
 */
#ifndef DS_PEER_H
#define DS_PEER_H

#include "error.h"

/*
 * Connect to the unix socket at path and write the serving process's
 * identity to id (n bytes): "BOOT_ID:PID:START_TICKS" (the kernel's boot
 * id, the peer's pid from SO_PEERCRED, its start time from /proc).
 * DS_E_CONNECT when nothing listens there; DS_E_UNSUPPORTED when the
 * identity cannot be read (no /proc, or a socket-activated listener,
 * whose peer is systemd): then nothing is cached.
 */
enum ds_code ds_peer_identify(const char *path, char *id, size_t n,
			      struct ds_err *err);

#endif
