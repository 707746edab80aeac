# SPDX-License-Identifier: GPL-2.0-or-later
#
# The plugin's sources, in one list: the standalone build (CMakeLists.txt)
# and the in-tree build inside a Wireshark source tree
# (packaging/wireshark-tree/CMakeLists.txt) both include this file.
# Paths are relative to this folder.

# the one version number of sip400 (project(), the plugin, the package,
# sip400-report --version)
set(SIP400_VERSION_STRING 0.1.0)

# the engine: plain C11, no libwireshark
set(SIP400_ENGINE_SOURCES
  catalog.c
  engine.c
  msg.c
  uri.c
  via.c
  rules_start.c
  rules_headers.c
  hdrparse.c
  rules_uri.c
  rules_number.c
  rules_transport.c
  rules_body.c
  rules_auth.c
  sdp.c
  rules_dialog.c
  history.c
  rules_size.c
  txn.c
  verdict.c
)

# the Wireshark glue
set(SIP400_GLUE_SOURCES
  plugin.c
  packet-sip400.c
  packet-sip400-txn.c
  packet-sip400-stats.c
)
