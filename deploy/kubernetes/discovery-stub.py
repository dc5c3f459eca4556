"""The API discovery of a Kubernetes server with the built-in kinds these manifests use, and
nothing else: every object is "not found". `kubectl apply --dry-run=client` asks a server which
kinds exist (even with --validate=false) and whether each object does, so this lets it run
where no cluster is; check.sh uses it. Serves on 127.0.0.1, the port it prints first."""
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

GROUPS = {
    "": {"v1": [("namespaces", "Namespace", False), ("configmaps", "ConfigMap", True),
                ("secrets", "Secret", True), ("services", "Service", True)]},
    "apps": {"v1": [("deployments", "Deployment", True), ("statefulsets", "StatefulSet", True)]},
    "policy": {"v1": [("poddisruptionbudgets", "PodDisruptionBudget", True)]},
}
VERBS = ["create", "delete", "get", "list", "patch", "update", "watch"]


def resources(group, version):
    return {"kind": "APIResourceList", "apiVersion": "v1",
            "groupVersion": f"{group}/{version}" if group else version,
            "resources": [{"name": name, "singularName": "", "namespaced": namespaced, "kind": kind,
                           "verbs": VERBS} for name, kind, namespaced in GROUPS[group][version]]}


def answer(path):
    if path == "/api":
        return {"kind": "APIVersions", "versions": ["v1"],
                "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": "127.0.0.1"}]}
    if path == "/apis":
        return {"kind": "APIGroupList", "apiVersion": "v1", "groups": [
            {"name": group, "versions": [{"groupVersion": f"{group}/{v}", "version": v} for v in versions],
             "preferredVersion": {"groupVersion": f"{group}/{next(iter(versions))}", "version": next(iter(versions))}}
            for group, versions in GROUPS.items() if group]}
    if path == "/api/v1":
        return resources("", "v1")
    parts = path.strip("/").split("/")
    if len(parts) == 3 and parts[0] == "apis" and parts[2] in GROUPS.get(parts[1], {}):
        return resources(parts[1], parts[2])
    return None


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        body = answer(self.path.split("?")[0])
        code = 200
        if body is None:
            code = 404
            body = {"kind": "Status", "apiVersion": "v1", "status": "Failure", "reason": "NotFound", "code": 404}
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
sys.stdout.close()
server.serve_forever()
