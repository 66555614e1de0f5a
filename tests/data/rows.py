#!/usr/bin/env python3
"""rows.py: write the hand-made fixture sets of the engines no engine on
these machines runs (one set per row of the README's conformance table).

Run from tests/data: python3 rows.py.  The files it writes are committed;
this script documents how they were made.  Every set describes ONE engine
state (below), in the shape the engine's published API gives it at that
version, as dockspace asks for it (see module/apiver.c: /system/df with
verbose=1 from API 1.52):

  images   app:1 (used by containers web, running, and job, exited),
           app:0 (unused, 10 MB shared with app:1), tool:2 (unused),
           one dangling image
  volumes  data (in use), scratch (unused), one anonymous (unused)
  cache    c-regular, c-mount (exec.cachemount), c-shared (Shared: an
           image holds it), c-inuse (InUse)

Sources (read at the tags named): moby/moby api/docs/CHANGELOG.md;
api/types/{image/summary.go,build/cache.go,events/events.go,
system/info.go,system/disk_usage.go} and, for the version rules,
daemon/config/config.go (MaxAPIVersion, defaultMinAPIVersion) and
daemon/server/router/system/system_routes.go getDiskUsage (v25.0.0,
v28.0.0, docker-v29.0.0, docker-v29.4.0); daemon/containerd/service.go
LayerStoreStatus (driver-type) and daemon/info.go fillContainerdInfo.
Podman: the project's reference notes (engine-api.md, engines-today.md,
gathered from containers/podman's compat handlers and observed on Podman
4.3): per-tag df rows, LayersSize real from 5.5, API 1.44 in 5.8.
"""
import json

MB = 1000 * 1000
T0 = 1760000000  # 2025-10-09

H_APP1 = "a1" * 32
H_APP0 = "a0" * 32
H_TOOL = "70" * 32
H_DANG = "d0" * 32
# containerd image store: IDs are the index/manifest digests
C_APP1 = "1d" * 32
C_APP0 = "0d" * 32
C_TOOL = "7d" * 32
C_DANG = "dd" * 32

ROWS = {
    # name: (engine version, api, min api, store, podman)
    "docker-25.0": ("25.0.5", "1.44", "1.24", "overlay2", False),
    "docker-28.0": ("28.0.4", "1.48", "1.24", "overlay2", False),
    "docker-29.0": ("29.0.0", "1.52", "1.44", "containerd-system", False),
    "docker-29.4": ("29.4.0", "1.54", "1.40", "containerd-daemon", False),
    "podman-5.8": ("5.8.0", "1.44", "1.24", "podman", True),
}


def ver(a):
    major, minor = a.split(".")
    return int(major) * 1000 + int(minor)


def write(name, text):
    with open(name, "w") as f:
        f.write(text)


def ids(store):
    if store.startswith("containerd"):
        return C_APP1, C_APP0, C_TOOL, C_DANG
    return H_APP1, H_APP0, H_TOOL, H_DANG


def images(row, api, store, podman):
    """The image rows of /system/df (Docker) in this version's shape."""
    a1, a0, tool, dang = ids(store)
    cd = store.startswith("containerd")
    # containerd store: Size = compressed content + unpacked snapshot
    k = 2 if cd else 1
    rows = [
        (a1, ["app:1"], 30 * MB * k, 10 * MB * k, 2, T0 + 300),
        (a0, ["app:0"], 25 * MB * k, 10 * MB * k, 0, T0 + 100),
        (tool, ["tool:2"], 8 * MB * k, 0, 0, T0 + 200),
        (dang, None, 12 * MB * k, 0, 0, T0),
    ]
    out = []
    for i, tags, size, shared, ctr, created in rows:
        img = {"Containers": ctr, "Created": created,
               "Id": "sha256:" + i, "Labels": {}, "ParentId": "",
               "RepoDigests": [], "SharedSize": shared, "Size": size}
        if tags:
            img["RepoTags"] = tags
        else:
            # 1.43+: [] for an untagged image
            img["RepoTags"] = []
        if ver(api) < 1044:
            img["VirtualSize"] = size
        if cd:
            img["Descriptor"] = {
                "mediaType": "application/vnd.oci.image.index.v1+json",
                "digest": "sha256:" + i, "size": 856}
            img["RepoDigests"] = (["%s@sha256:%s" % (tags[0].split(":")[0],
                                                     i)] if tags else [])
        out.append(img)
    return out


def podman_images():
    """Podman's /system/df image rows: one per tag, IDs without sha256:,
    RepoTags only the tag, "<none>" for the dangling one."""
    rows = [
        (H_APP1, "1", 30 * MB, 2, T0 + 300),
        (H_APP0, "0", 25 * MB, 0, T0 + 100),
        (H_TOOL, "2", 8 * MB, 0, T0 + 200),
        (H_DANG, "<none>", 12 * MB, 0, T0),
    ]
    return [{"Containers": c, "Created": t, "Id": i, "Labels": {},
             "ParentId": "", "RepoDigests": None, "RepoTags": [tag],
             "SharedSize": 0, "Size": s, "VirtualSize": 0}
            for i, tag, s, c, t in rows]


def podman_image_list():
    """Podman's /images/json: full names, RepoTags null when dangling."""
    rows = [
        (H_APP1, ["localhost/app:1"], 30 * MB, 2, T0 + 300),
        (H_APP0, ["localhost/app:0"], 25 * MB, 0, T0 + 100),
        (H_TOOL, ["docker.io/library/tool:2"], 8 * MB, 0, T0 + 200),
        (H_DANG, None, 12 * MB, 0, T0),
    ]
    return [{"Id": "sha256:" + i, "ParentId": "", "RepoTags": tags,
             "RepoDigests": [], "Created": t, "Size": s, "SharedSize": 0,
             "VirtualSize": s, "Labels": {}, "Containers": c,
             "Names": tags, "Digest": "sha256:" + "5" * 64, "History": []}
            for i, tags, s, c, t in rows]


def containers(store, podman):
    a1 = ids(store)[0]
    rows = [("c" * 64, "web", "running", 1 * MB),
            ("e" * 64, "job", "exited", 4 * MB)]
    out = []
    for cid, name, state, rw in rows:
        out.append({"Id": cid, "Names": [name if podman else "/" + name],
                    "Image": "app:1", "ImageID": "sha256:" + a1,
                    "Command": "/bin/busybox sleep 1000",
                    "Created": T0 + 400, "Ports": [], "SizeRw": rw,
                    "SizeRootFs": rw + 30 * MB, "Labels": {},
                    "State": state, "Status": state,
                    "HostConfig": {"NetworkMode": "none"},
                    "NetworkSettings": {"Networks": {}},
                    "Mounts": None if podman else []})
    return out


def volumes(podman):
    rows = [("data", 1, 2 * MB), ("scratch", 0, 3 * MB),
            ("f" * 64, 0, 1 * MB)]
    out = []
    for name, refs, size in rows:
        v = {"Name": name, "Labels": {} if podman else None,
             "Driver": "" if podman else "local",
             "Mountpoint": "" if podman else
             "/var/lib/docker/volumes/%s/_data" % name,
             "Options": None, "Scope": "local",
             "UsageData": {"RefCount": refs, "Size": size}}
        if not podman:
            v["CreatedAt"] = "2025-10-09T08:00:00Z"
        out.append(v)
    return out


def cache(api):
    rows = [("c-regular", "regular", False, False, 6 * MB),
            ("c-mount", "exec.cachemount", False, False, 5 * MB),
            ("c-shared", "regular", False, True, 9 * MB),
            ("c-inuse", "regular", True, False, 2 * MB)]
    out = []
    for i, (rid, typ, inuse, shared, size) in enumerate(rows):
        r = {"ID": rid, "Type": typ, "Description": "mount / from exec %d"
             % i, "InUse": inuse, "Shared": shared, "Size": size,
             "CreatedAt": "2025-10-09T08:0%d:00Z" % i,
             "LastUsedAt": "2025-10-09T09:0%d:00Z" % i, "UsageCount": i + 1}
        if i == 1:
            # " Parents": Go tag `json:" Parents,omitempty"` (1.42+)
            r[" Parents"] = ["c-regular"]
            if ver(api) < 1052:
                r["Parent"] = "c-regular"  # deprecated, gone later
        out.append(r)
    return out


def usage(items, total, active, size, reclaimable):
    """A 1.52 summary, zero fields omitted (omitempty)."""
    u = {}
    for key, val in (("ActiveCount", active), ("Items", items),
                     ("Reclaimable", reclaimable), ("TotalCount", total),
                     ("TotalSize", size)):
        if val:
            u[key] = val
    return u


def system_df(row, api, store, podman):
    if podman:
        return {"LayersSize": 65 * MB,  # real from Podman 5.5
                "Images": podman_images(),
                "Containers": containers(store, True),
                "Volumes": volumes(True), "BuildCache": []}
    imgs = images(row, api, store, False)
    ctrs = containers(store, False)
    vols = volumes(False)
    recs = cache(api)
    cd = store.startswith("containerd")
    # distinct layers once: 30 + (25 - 10) + 8 + 12 MB; twice that on
    # the containerd store (compressed content and snapshots)
    layers = (130 if cd else 65) * MB
    if ver(api) < 1052:
        return {"LayersSize": layers, "Images": imgs, "Containers": ctrs,
                "Volumes": vols, "BuildCache": recs}
    # 1.52+ with verbose=1: the summaries only, the lists in Items.
    # Docker 29.0-29.3 computed image Reclaimable wrongly (fixed in
    # 29.4); the Build Cache TotalSize counts Shared records.
    img_recl = 42 * MB if row == "docker-29.0" else 70 * MB
    return {
        "ImageUsage": usage(imgs, 4, 1, layers, img_recl),
        "ContainerUsage": usage(ctrs, 2, 1, 5 * MB, 4 * MB),
        "VolumeUsage": usage(vols, 3, 1, 6 * MB, 4 * MB),
        "BuildCacheUsage": usage(recs, 4, 1, 22 * MB, 11 * MB),
    }


def info(row, version, api, store, podman):
    root = ("/var/lib/containers/storage" if podman
            else "/var/lib/docker")
    i = {"ID": "ROW-" + row, "Containers": 2, "ContainersRunning": 1,
         "ContainersPaused": 0, "ContainersStopped": 1, "Images": 4,
         "DockerRootDir": root, "ServerVersion": version,
         "OperatingSystem": "Ubuntu 24.04 LTS", "OSType": "linux",
         "Architecture": "x86_64", "Name": "runner", "Labels": [],
         "Warnings": None}
    if podman:
        i.update({"Driver": "overlay", "DriverStatus": [],
                  "BuildahVersion": "1.43.0", "Rootless": False,
                  "Warnings": []})
    elif store == "overlay2":
        i.update({"Driver": "overlay2", "DriverStatus": [
            ["Backing Filesystem", "extfs"], ["Supports d_type", "true"],
            ["Using metacopy", "false"], ["Native Overlay Diff", "true"],
            ["userxattr", "false"]]})
    else:
        i.update({"Driver": "overlayfs", "DriverStatus": [
            ["driver-type", "io.containerd.snapshotter.v1"]]})
    if not podman and ver(api) >= 1046:
        address = ("/run/containerd/containerd.sock"
                   if store != "containerd-daemon"
                   else "/var/run/docker/containerd/containerd.sock")
        i["Containerd"] = {"Address": address, "Namespaces": {
            "Containers": "moby", "Plugins": "plugins.moby"}}
    return i


def version_json(version, api, minapi, podman):
    name = "Podman Engine" if podman else "Engine"
    return {"Platform": {"Name": "" if podman else "Docker Engine - Community"},
            "Components": [{"Name": name, "Version": version,
                            "Details": {"ApiVersion": api,
                                        "MinAPIVersion": minapi}}],
            "Version": version, "ApiVersion": api, "MinAPIVersion": minapi,
            "Os": "linux", "Arch": "amd64"}


def ping(version, api, podman):
    if podman:
        return ("HTTP/1.1 200 OK\r\nApi-Version: %s\r\nBuildkit-Version: "
                "\r\nCache-Control: no-cache\r\nDocker-Experimental: true\r\n"
                "Libpod-Api-Version: %s\r\nLibpod-Buildah-Version: 1.43.0\r\n"
                "Pragma: no-cache\r\nServer: Libpod/%s (linux)\r\n"
                "Content-Length: 2\r\nContent-Type: text/plain; "
                "charset=utf-8\r\n\r\n" % (api, version, version))
    return ("HTTP/1.1 200 OK\r\nApi-Version: %s\r\nBuilder-Version: 2\r\n"
            "Cache-Control: no-cache, no-store, must-revalidate\r\n"
            "Docker-Experimental: false\r\nOstype: linux\r\n"
            "Pragma: no-cache\r\nServer: Docker/%s (linux)\r\n"
            "Content-Length: 2\r\nContent-Type: text/plain; "
            "charset=utf-8\r\n\r\n" % (api, version))


def history(store, podman):
    """/images/app:1/history: containerd store reports 0 for a layer that
    is not unpacked (here the base layer)."""
    a1 = ids(store)[0]
    cd = store.startswith("containerd")
    top = a1 if not podman else a1
    steps = [
        {"Id": ("sha256:" if not podman else "") + top, "Created": T0 + 300,
         "CreatedBy": "CMD [\"sh\"]", "Tags": ["app:1"], "Size": 0,
         "Comment": "buildkit.dockerfile.v0"},
        {"Id": "<missing>", "Created": T0 + 299,
         "CreatedBy": "RUN /bin/sh -c pip install torch # buildkit",
         "Tags": None, "Size": 20 * MB, "Comment": "buildkit.dockerfile.v0"},
        {"Id": "<missing>", "Created": T0 + 298,
         "CreatedBy": "COPY busybox /bin/busybox # buildkit",
         "Tags": None, "Size": 0 if cd else 10 * MB,
         "Comment": "buildkit.dockerfile.v0"},
    ]
    return steps


def inspect(api, store, podman):
    a1 = ids(store)[0]
    i = {"Id": "sha256:" + a1, "RepoTags": ["app:1"], "RepoDigests": [],
         "Comment": "buildkit.dockerfile.v0",
         "Created": "2025-10-09T08:05:00Z",
         "Config": {"Cmd": ["sh"], "Labels": {"org.example": "1"}},
         "Architecture": "amd64", "Os": "linux",
         "Size": 30 * MB * (2 if store.startswith("containerd") else 1),
         "RootFS": {"Type": "layers", "Layers": ["sha256:" + "9" * 64]}}
    if ver(api) < 1052:
        i["Parent"] = ""  # 1.52+: an empty Parent is omitted
    if ver(api) < 1044:
        i["VirtualSize"] = i["Size"]
    if podman:
        i["Id"] = "sha256:" + a1
        i["RepoTags"] = ["localhost/app:1"]
    return i


def events(api, store, podman):
    """An image tag, an untag and a container destroy."""
    a1 = ids(store)[0]
    out = []
    for typ, action, oid, attrs in (
            ("image", "tag", "sha256:" + a1, {"name": "app:1"}),
            ("image", "untag", "sha256:" + a1, {"name": "sha256:" + a1}),
            ("container", "destroy", "c" * 64,
             {"image": "app:1", "name": "web"})):
        ev = {}
        if ver(api) < 1052 and not podman:
            # gone from 1.52: top-level status, id, from
            ev.update({"status": action, "id": oid})
            if typ == "container":
                ev["from"] = "app:1"
        ev.update({"Type": typ, "Action": action,
                   "Actor": {"ID": oid, "Attributes": attrs},
                   "scope": "local", "time": T0 + 500,
                   "timeNano": (T0 + 500) * 1000000000})
        out.append(json.dumps(ev, separators=(",", ":")))
    return "\n".join(out) + "\n"


def main():
    for row, (version, api, minapi, store, podman) in ROWS.items():
        p = "row-%s-" % row
        write(p + "ping.txt", ping(version, api, podman))
        write(p + "version.json", json.dumps(version_json(
            version, api, minapi, podman), separators=(",", ":")))
        write(p + "info.json", json.dumps(info(row, version, api, store,
                                                podman),
                                           separators=(",", ":")))
        write(p + "system-df.json", json.dumps(system_df(
            row, api, store, podman), indent=1))
        write(p + "history.json", json.dumps(history(store, podman)))
        write(p + "image-inspect.json", json.dumps(inspect(api, store,
                                                           podman)))
        write(p + "events.jsonl", events(api, store, podman))
        if podman:
            write(p + "images.json", json.dumps(podman_image_list()))


if __name__ == "__main__":
    main()
