"""Serves the test JupyterLab frontend with Debian's jupyter_server + jupyterlab_server.

Usage: lab_server.py APP_DIR ROOT_DIR STATE_DIR TOKEN

APP_DIR holds the build of tests/jupyter/lab_app (static/, schemas/, themes/, settings/);
ROOT_DIR is the notebook root; STATE_DIR receives user settings and workspaces. Federated
extensions and kernelspecs come from the Jupyter path (JUPYTER_PATH), as in a real install.
Listens on a free loopback port with token auth and prints one JSON line
{"url": ..., "port": ..., "pid": ...} on stdout once it accepts connections. SIGTERM stops it
and shuts its kernels down.
"""
import json
import os
import socket
import sys

from jupyter_server.serverapp import ServerApp
from jupyterlab_server import LabServerApp
from traitlets.config import Config


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    app_dir, root_dir, state_dir, token = sys.argv[1:5]
    c = Config()
    c.ServerApp.ip = "127.0.0.1"
    c.ServerApp.port = free_port()
    c.ServerApp.port_retries = 20
    c.ServerApp.token = token
    c.ServerApp.open_browser = False
    c.ServerApp.allow_root = True
    c.ServerApp.root_dir = root_dir
    c.ServerApp.tornado_settings = {
        "page_config_data": {
            "token": token,
            "appName": "JupyterLab",
            "appVersion": "4",
            "buildAvailable": False,
            "exposeAppInBrowser": True,
        }
    }
    c.LabServerApp.app_settings_dir = os.path.join(app_dir, "settings")
    c.LabServerApp.static_dir = os.path.join(app_dir, "static")
    c.LabServerApp.templates_dir = os.path.join(app_dir, "static")
    c.LabServerApp.schemas_dir = os.path.join(app_dir, "schemas")
    c.LabServerApp.themes_dir = os.path.join(app_dir, "themes")
    c.LabServerApp.user_settings_dir = os.path.join(state_dir, "user-settings")
    c.LabServerApp.workspaces_dir = os.path.join(state_dir, "workspaces")

    # only this extension: no server extensions that happen to be installed system-wide
    LabServerApp.load_other_extensions = False
    server = ServerApp.instance(config=c, jpserver_extensions={"jupyterlab_server": True})
    server.initialize(argv=[], starter_extension="jupyterlab_server", find_extensions=False)
    print(
        json.dumps({"url": f"http://127.0.0.1:{server.port}/", "port": server.port, "pid": os.getpid()}),
        flush=True,
    )
    server.start()


if __name__ == "__main__":
    main()
