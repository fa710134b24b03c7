#!/usr/bin/env python3
"""Builds generation documents (Redis contract layout 1) for benches and wire tests.

  gen_trunks.py N [--match-cidr 127.0.0.2/32] [--same-prefix 127.0] [--generation G]
                  [--permissions-dir DIR]
prints a document of N ip_only trunks on distinct 10.x.y.0/24 networks; with --match-cidr the
LAST trunk (lowest priority) is the one matching the caller, so a match walks the whole order.
--permissions-dir also writes the same trunks' networks as a db_text `address` table (group 1)
for Kamailio's permissions module, the bench's native peer (bench/kamailio-permissions.cfg).
Imported by the wire tests for trunk() and document().
"""
import argparse
import hashlib
import ipaddress
import json
import sys


def ranges(cidrs):
    v4, v6 = [], []
    for c in cidrs:
        net = ipaddress.ip_network(c, strict=False)
        lo, hi = int(net.network_address), int(net.broadcast_address)
        if net.version == 4:
            v4.append([lo, hi])
        else:
            v6.append(["%032x" % lo, "%032x" % hi])
    return v4, v6


def ha1(user, realm, password):
    return hashlib.md5(("%s:%s:%s" % (user, realm, password)).encode()).hexdigest()


def trunk(name, priority=50, identify_by=("source_ip",), cidrs=(), from_domain_pattern=None,
          user_agent_pattern=None, auth_method="ip_only", auth_realm=None, auth_user=None,
          passwords=None, require_tls=False, unique_id_header=None, requires_x_call=False,
          max_concurrent_calls=0, trunk_id=None, **extra):
    """passwords: {realm: password}; turned into auth_ha1 as the admin service does."""
    v4, v6 = ranges(cidrs)
    t = {
        "id": trunk_id if trunk_id is not None else abs(hash(name)) % 100000,
        "name": name, "priority": priority, "identify_by": list(identify_by),
        "cidrs": [str(ipaddress.ip_network(c, strict=False)) for c in cidrs],
        "ranges_v4": v4, "ranges_v6": v6,
        "from_domain_pattern": from_domain_pattern, "user_agent_pattern": user_agent_pattern,
        "auth_method": auth_method, "auth_realm": auth_realm, "auth_user": auth_user,
        "auth_ha1": {r: ha1(auth_user, r, p) for r, p in (passwords or {}).items()},
        "srtp_mode": "disabled", "symmetric_rtp": False,
        "require_tls": require_tls, "verify_peer": False, "require_client_cert": False,
        "peer_name_verification": "disabled", "tls_remote_subject_name": None,
        "tls_ca_fingerprint": None, "unique_id_header": unique_id_header,
        "is_internal": False, "requires_x_call": requires_x_call,
        "max_concurrent_calls": max_concurrent_calls, "codecs": ["PCMA", "PCMU"],
    }
    t.update(extra)
    t["hash"] = hashlib.sha256(json.dumps(t, sort_keys=True).encode()).hexdigest()
    return t


def document(trunks, generation=1):
    canonical = json.dumps(trunks, sort_keys=True, separators=(",", ":"))
    return {"layout": 1, "generation": generation, "published_at": "2026-11-24T10:42:07.123Z",
            "content_hash": hashlib.sha256(canonical.encode()).hexdigest(), "trunks": trunks}


def synthetic(n, match_cidr=None, same_prefix=None, same_prefix6=None):
    """same_prefix "127.0": every trunk a /32 inside that /16 (the caller's), the worst case of
    the /16 buckets; same_prefix6 "0:0:0": every trunk a /128 inside that IPv6 /48; otherwise
    distinct 10.x.y.0/24 networks."""
    trunks = []
    for i in range(n - (1 if match_cidr else 0)):
        if same_prefix6:
            cidr = "%s:%x:%x::1/128" % (same_prefix6, 1 + i // 250, 1 + i % 250)
        elif same_prefix:
            cidr = "%s.%d.%d/32" % (same_prefix, 1 + i // 250, 1 + i % 250)
        else:
            cidr = "10.%d.%d.0/24" % (i // 256 % 256, i % 256)
        trunks.append(trunk("carrier-%05d" % i, priority=10, trunk_id=i + 1, cidrs=[cidr]))
    if match_cidr:
        trunks.append(trunk("carrier-match", priority=1000, trunk_id=n, cidrs=[match_cidr]))
    return trunks


def write_permissions(trunks, folder):
    """db_text files of the permissions module (address table version 6, Kamailio 5.6)."""
    import os
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "version"), "w") as f:
        f.write("table_name(string) table_version(int)\naddress:6\n")
    with open(os.path.join(folder, "address"), "w") as f:
        f.write("id(int,auto) grp(int) ip_addr(string) mask(int) port(int) tag(string,null)\n")
        row = 0
        for t in trunks:
            for c in t["cidrs"]:
                net = ipaddress.ip_network(c, strict=False)
                if net.version != 4:
                    continue  # db_text separates columns with ':'
                row += 1
                f.write("%d:1:%s:%d:0:\n" % (row, net.network_address, net.prefixlen))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("n", type=int)
    ap.add_argument("--match-cidr")
    ap.add_argument("--same-prefix", help='put every trunk in this /16, e.g. "127.0"')
    ap.add_argument("--same-prefix6", help='put every trunk in this IPv6 /48, e.g. "0:0:0" (::1\'s)')
    ap.add_argument("--generation", type=int, default=1)
    ap.add_argument("--permissions-dir", help="also write a db_text address table here")
    a = ap.parse_args()
    trunks = synthetic(a.n, a.match_cidr, a.same_prefix, a.same_prefix6)
    if a.permissions_dir:
        write_permissions(trunks, a.permissions_dir)
    json.dump(document(trunks, a.generation), sys.stdout, separators=(",", ":"))


if __name__ == "__main__":
    main()
