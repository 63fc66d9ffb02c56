"""Registry calls (wire.md §12): one JSON document each way, plus verified blob transfer.

    from churn_wire.registry import RegistryClient
    with RegistryClient("127.0.0.1", 7400, token=None) as registry:   # or RegistryClient("a:7400,b:7400")
        record = registry.push_dataset("bank", open("bank.csv", "rb").read())
        version = registry.publish_model("churn", open("model.bundle", "rb").read(), alias="production")
        hits = registry.search('name = "churn" and metrics.roc_auc >= 0.85')

    from churn_wire.registry import RegistryPool                      # the same calls over replicas
    with RegistryPool("reg-a:7400,reg-b:7400") as registry: …         # (churn_wire.pool.Pool)

Writes that are not idempotent by nature (push, publish, delete, alias set and remove) go as keyed
requests (wire.md §2.4): each logical call has its own random 16-byte key, repeated on every retry,
so a write whose answer was lost can be sent again and is applied once.
"""

import hashlib
import json
from dataclasses import dataclass
from typing import Any, Dict, Optional

from . import codec
from .addresses import RegistryUnreachable, format_address, parse_addresses
from .client import Client, WireServerError
from .keys import KEYED_WRITES, IdempotencyKeys
from .pool import Pool, is_connection_failure

OP_DATASET_REGISTER = 0x0100
OP_DATASET_LIST = 0x0101
OP_DATASET_SHOW = 0x0102
OP_MODEL_PUBLISH = 0x0110
OP_MODEL_SHOW = 0x0111
OP_MODEL_LIST = 0x0112
OP_MODEL_SEARCH = 0x0113
OP_MODEL_DELETE = 0x0114
OP_ALIAS_SET = 0x0115
OP_ALIAS_REMOVE = 0x0116
OP_ALIAS_HISTORY = 0x0117
OP_GC = 0x0118
OP_DEPLOYMENT_REPORT = 0x0119
OP_DEPLOYMENTS = 0x011A
OP_EVENTS = 0x011B
OP_MODEL_PUBLISH_INLINE = 0x011C

# Bundles up to this size are published in one round trip (ModelPublishInline, wire.md §12).
MAX_INLINE_BUNDLE = 1024 * 1024

# Reads: safe to send again on another replica after the connection failed.
READ_OPCODES = {
    OP_DATASET_LIST, OP_DATASET_SHOW, OP_MODEL_SHOW, OP_MODEL_LIST, OP_MODEL_SEARCH, OP_ALIAS_HISTORY,
    OP_DEPLOYMENTS, OP_EVENTS,
}

REGISTRY_OPCODES = [
    OP_DATASET_REGISTER, OP_DATASET_LIST, OP_DATASET_SHOW, OP_MODEL_PUBLISH, OP_MODEL_SHOW, OP_MODEL_LIST,
    OP_MODEL_SEARCH, OP_MODEL_DELETE, OP_ALIAS_SET, OP_ALIAS_REMOVE, OP_ALIAS_HISTORY, OP_GC,
    OP_DEPLOYMENT_REPORT, OP_DEPLOYMENTS, OP_EVENTS, OP_MODEL_PUBLISH_INLINE,
]


@dataclass
class JSONDocument:
    """The body of every registry opcode: `bytes json` (u32 length + UTF-8 JSON)."""
    value: Any
    OPCODE: int = 0

    def encode(self) -> bytes:
        return codec.w_bytes(json.dumps(self.value, separators=(",", ":"), sort_keys=True).encode("utf-8"))

    @classmethod
    def decode(cls, r):
        text = r.blob("json", codec.DEFAULT_MAX_FRAME)
        return cls(json.loads(bytes(text).decode("utf-8")))


@dataclass
class InlinePublish:
    """ModelPublishInline (0x011C): `bytes json` (a ModelPublish document) then `bytes bundle`."""
    value: Any
    bundle: bytes
    OPCODE: int = OP_MODEL_PUBLISH_INLINE

    def encode(self) -> bytes:
        return JSONDocument(self.value).encode() + codec.w_bytes(self.bundle)


for _opcode in REGISTRY_OPCODES:
    codec.RESPONSE_TYPES.setdefault(_opcode, JSONDocument)


def _json_on(client: Client, opcode: int, request: Dict[str, Any], keys: IdempotencyKeys, keyed: bool = True) -> Any:
    """One JSON call on `client`; a keyed write takes the next key of `keys` (unless `keyed` is off)."""
    key = keys.next() if keyed and opcode in KEYED_WRITES else None
    return client.call(JSONDocument(request, opcode), key).value


class RegistryCalls:
    """The registry's calls (wire.md §12), over `run_registry(body, writes)`, which runs
    `body(client, keys)` on a connection and decides whether a failed attempt may be repeated:
    reads may, keyed writes may (every attempt repeats their keys), writes sent without a key
    (`keyed = False`, for registries that predate keyed requests) may not."""

    keyed = True

    def run_registry(self, body, writes: bool):  # pragma: no cover - provided by the classes below
        raise NotImplementedError

    def _json(self, opcode: int, request: Dict[str, Any]) -> Any:
        return self.run_registry(lambda client, keys: _json_on(client, opcode, request, keys, self.keyed),
                                 writes=opcode not in READ_OPCODES)

    # datasets
    def push_dataset(self, name: str, data: bytes, description: str = "") -> Dict[str, Any]:
        """Uploads `data` and registers it (keyed); returns the dataset record as a dict. Its "dialect"
        and "profile" keys hold JSON text (parse with json.loads) and are absent for datasets pushed
        before the registry recorded them, so read them with .get()."""
        request = {"name": name, "description": description}

        def body(client, keys):
            request["sha256"] = client.upload_blob(name, data).hex()
            return _json_on(client, OP_DATASET_REGISTER, request, keys, self.keyed)
        return self.run_registry(body, writes=True)

    def datasets(self, name: Optional[str] = None):
        return self._json(OP_DATASET_LIST, {"name": name})["items"]

    def dataset(self, reference: str) -> Dict[str, Any]:
        return self._json(OP_DATASET_SHOW, {"reference": reference})

    def fetch_dataset(self, reference: str) -> bytes:
        digest = bytes.fromhex(self.dataset(reference)["sha256"])
        return self.run_registry(lambda client, _: client.download_blob(digest), writes=False)

    # models
    def publish_model(self, name: str, bundle: bytes, tags: Optional[Dict[str, str]] = None, description: str = "",
                      alias: Optional[str] = None, who: str = "", inline: Optional[bool] = None) -> Dict[str, Any]:
        """Publishes `bundle` as the name's next version (keyed): in one round trip
        (ModelPublishInline) when it is at most 1 MiB (or `inline` says so), else uploaded in chunks
        then published."""
        request = {"name": name, "sha256": hashlib.sha256(bundle).hexdigest(), "tags": tags or {},
                   "description": description, "alias": alias, "who": who}
        if inline is None:
            inline = len(bundle) <= MAX_INLINE_BUNDLE

        def body(client, keys):
            if inline:
                key = keys.next() if self.keyed else None
                return client.call(InlinePublish(request, bundle), key).value
            client.upload_blob(name, bundle)
            return _json_on(client, OP_MODEL_PUBLISH, request, keys, self.keyed)
        return self.run_registry(body, writes=True)

    def model(self, reference: str) -> Dict[str, Any]:
        """`{"version": {...}, "deployments": [...]}`."""
        return self._json(OP_MODEL_SHOW, {"reference": reference})

    def models(self, name: Optional[str] = None) -> Dict[str, Any]:
        """`{"models": [...]}` without a name, `{"versions": [...]}` with one."""
        return self._json(OP_MODEL_LIST, {"name": name})

    def search(self, query: str):
        return self._json(OP_MODEL_SEARCH, {"query": query})["items"]

    def fetch_model(self, reference: str) -> bytes:
        digest = bytes.fromhex(self.model(reference)["version"]["bundle_sha256"])
        return self.run_registry(lambda client, _: client.download_blob(digest), writes=False)

    def delete_model(self, name: str, version: int, who: str = ""):
        return self._json(OP_MODEL_DELETE, {"name": name, "version": version, "who": who})

    def set_alias(self, name: str, alias: str, version: int, who: str = ""):
        return self._json(OP_ALIAS_SET, {"name": name, "alias": alias, "version": version, "who": who})

    def remove_alias(self, name: str, alias: str, who: str = ""):
        return self._json(OP_ALIAS_REMOVE, {"name": name, "alias": alias, "who": who})

    def alias_history(self, name: str, alias: Optional[str] = None):
        return self._json(OP_ALIAS_HISTORY, {"name": name, "alias": alias})["items"]

    def gc(self, dry_run: bool = True):
        return self._json(OP_GC, {"dry_run": dry_run})

    def report_deployment(self, instance: str, name: str, version: int):
        return self._json(OP_DEPLOYMENT_REPORT, {"instance": instance, "name": name, "version": version})

    def deployments(self, name: Optional[str] = None):
        return self._json(OP_DEPLOYMENTS, {"name": name})["items"]

    def event_log(self, after: int = 0, limit: int = 1000):
        """The poll form of the event log: `{"events": [...], "head": N}`."""
        return self._json(OP_EVENTS, {"after": after, "limit": limit})


class RegistryClient(Client, RegistryCalls):
    """A `Client` with the registry's JSON calls, over one of several registry replicas.

    `RegistryClient("127.0.0.1", 7400)` connects to one registry; `RegistryClient("a:7400,b:7400")`
    or `RegistryClient(["a:7400", ("b", 7400)])` to the first replica that accepts, in order
    (RegistryUnreachable names every address and its error when none does). `reconnect()` moves
    to the next replica that answers. Reads (list, show, search, events…) and keyed writes (push,
    publish, delete, alias set and remove) whose connection fails are sent again once after
    `reconnect()`, the writes with the key they had the first time (wire.md §2.4). With
    `keyed=False` writes go unkeyed and are never sent again (their answer may have been lost after
    the registry applied them): the ConnectionError is raised and the caller decides.
    """

    def __init__(self, addresses="127.0.0.1:7400", port: Optional[int] = None, keyed: bool = True, **kwargs):
        self.keyed = keyed
        if port is not None:
            addresses = [(str(addresses), port)]
        elif isinstance(addresses, str) and ":" not in addresses and "," not in addresses and addresses.strip():
            addresses = [(addresses.strip(), 7400)]  # a bare host: the registry's default port
        self.addresses = parse_addresses(addresses)
        self.current = 0
        self._options = kwargs
        self._connect(start=0)

    @property
    def address(self):
        """The (host, port) of the replica this client is connected to."""
        return self.addresses[self.current]

    def _connect(self, start: int):
        """Connects to the first replica that accepts, from index `start` on (wrapping), each once."""
        attempts = []
        for step in range(len(self.addresses)):
            index = (start + step) % len(self.addresses)
            host, port = self.addresses[index]
            try:
                Client.__init__(self, host, port, **self._options)
            except WireServerError as error:
                if error.code not in (13, 14, 15):  # unavailable, internal, timeout: try the next
                    raise
                attempts.append((self.addresses[index], error))
            except OSError as error:  # refused, reset, timed out, closed
                attempts.append((self.addresses[index], error))
            else:
                self.current = index
                return
        raise RegistryUnreachable(attempts)

    def reconnect(self):
        """Closes this connection and connects to the next replica that accepts (the one after
        the current first, then the others in order, the current one last)."""
        try:
            self.close()
        except OSError:
            pass
        self._connect(start=(self.current + 1) % len(self.addresses))

    def json_call(self, opcode: int, request: Dict[str, Any]) -> Any:
        """Sends one JSON request under `opcode` (keyed when it is a keyed write); returns the
        decoded JSON response."""
        return self._json(opcode, request)

    def run_registry(self, body, writes: bool):
        """Runs `body(self, keys)`; when the connection fails, once more after `reconnect()` (with
        the same keys) if it is a read or its writes are keyed."""
        keys = IdempotencyKeys()
        try:
            return body(self, keys.restarted())
        except Exception as error:
            if not is_connection_failure(error) or (writes and not self.keyed):
                raise
        self.reconnect()
        return body(self, keys.restarted())


class RegistryPool(Pool, RegistryCalls):
    """The registry's calls over a `Pool` of registry replicas (that share their storage:
    PostgreSQL + S3, docs/scaling.md): reads and keyed writes move to another replica when a
    connection fails or a replica answers `unavailable`."""

    def __init__(self, addresses=None, *, keyed: bool = True, **kwargs):
        kwargs.setdefault("role", "registry")
        super().__init__(addresses, **kwargs)
        self.keyed = keyed

    def run_registry(self, body, writes: bool):
        return self.run(body, retrying=not writes or self.keyed)
