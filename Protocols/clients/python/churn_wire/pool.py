"""Connections to every replica of one role, shared by all threads of a process: the Python
counterpart of Swift's `WirePool` (Sources/Wire/Client/WirePool*.swift).

    from churn_wire.pool import Pool
    with Pool("p1:7402,p2:7402,p3:7402", role="predictor") as pool:
        answer = pool.predict({"CreditScore": 619, …})

- Each call goes to the better of two replicas in rotation drawn at random (power of two choices):
  the one with fewer calls outstanding from this pool.
- A replica leaves the rotation when a connection to it fails, when it answers `unavailable`, or
  when its Health answer is not `serving`. A monitor thread asks Health every `probe_interval`
  (0.25 s) on a connection of its own to each replica in rotation, connects to each replica out of
  rotation and asks Health, and puts it back when it answers `serving`.
- A call whose connection failed, or that a replica answered `unavailable`, is tried on another
  replica when it may be repeated: reads, and keyed writes (wire.md §2.4), whose keys every attempt
  repeats. A write sent without a key is never sent twice: its error is raised. A call is sent to
  the same replica at most twice (the second time only after a connection that may have been stale
  failed); when none could be connected to, RegistryUnreachable names every replica and why.
  Replicas out of rotation are still tried when none is in rotation.
- Addresses: a list (`"a:7400,b:7400"`, or a list of strings and (host, port) pairs), else the
  role's environment variable (CHURN_REGISTRY, CHURN_PREDICTOR, CHURN_TRAINER), else the role's
  default address. A host name stands for every address it resolves to (socket.getaddrinfo), and
  is resolved again every `resolve_interval` seconds: replicas that appear join the rotation,
  replicas that disappear are dropped.

Unlike the Swift pool, a connection carries one call at a time (the Python client is blocking):
each replica keeps up to `max_idle` idle connections for the next calls.
"""

import ipaddress
import os
import random
import socket
import threading
from typing import Any, Callable, Dict, List, Optional

from . import codec
from .addresses import RegistryUnreachable, format_address, parse_addresses
from .client import Client, WireProtocolError, WireServerError
from .keys import KEYED_WRITES, WRITES, IdempotencyKeys

ENVIRONMENT = {"registry": "CHURN_REGISTRY", "predictor": "CHURN_PREDICTOR", "trainer": "CHURN_TRAINER"}
DEFAULT_ADDRESS = {"registry": "127.0.0.1:7400", "predictor": "127.0.0.1:7402", "trainer": "127.0.0.1:7401"}

UNAVAILABLE = 13
HEALTH_SERVING = 0
HEALTH_NAMES = {0: "serving", 1: "degraded", 2: "draining"}

# Errors that say the connection failed (a fresh one may succeed), as opposed to the server's answer.
CONNECTION_FAILURES = (OSError, WireProtocolError, codec.WireDecodeError)


def is_connection_failure(error: BaseException) -> bool:
    return isinstance(error, CONNECTION_FAILURES)


class Replica:
    """One replica: where to connect, its idle connections, calls outstanding, rotation state."""

    def __init__(self, host: str, port: int, label: str):
        self.host = host
        self.port = port
        self.label = label
        self.idle: List[Client] = []
        self.outstanding = 0
        self.calls = 0
        self.in_rotation = True
        self.reason: Optional[str] = None
        self.probe: Optional[Client] = None
        self.removed = False

    @property
    def key(self):
        return (self.host.lower(), self.port)

    @property
    def address(self):
        return (self.host, self.port)


def _is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host.split("%", 1)[0])
        return True
    except ValueError:
        return False


class Pool:
    """Balances calls over the replicas of one role; see the module's documentation."""

    def __init__(self, addresses=None, *, role: str = "registry", client_name: str = "churn-python",
                 token: Optional[str] = None, timeout: float = 10.0, probe_interval: float = 0.25,
                 resolve_interval: float = 10.0, max_idle: int = 4, resolver: Callable = socket.getaddrinfo,
                 environ=None):
        if addresses is None:
            environ = os.environ if environ is None else environ
            addresses = environ.get(ENVIRONMENT.get(role, ""), "") or DEFAULT_ADDRESS.get(role, "127.0.0.1:7409")
        self.role = role
        self.entries = parse_addresses(addresses, role=role)
        self.client_name = client_name
        self.token = token
        self.timeout = timeout
        self.probe_interval = probe_interval
        self.resolve_interval = resolve_interval
        self.max_idle = max(1, max_idle)
        self.resolver = resolver
        self._lock = threading.Lock()
        self._random = random.Random()
        self._replicas: List[Replica] = []
        self._stop = threading.Event()
        self._monitor: Optional[threading.Thread] = None
        self._since_resolve = 0.0
        self._resolved = {}
        self.resolve()

    # ------------------------------------------------------------------ addresses
    def _expand(self, host: str, port: int):
        """(connect host, label) for each address an entry stands for."""
        label = format_address((host, port))
        if _is_ip_literal(host):
            return [(host, label)]
        try:
            infos = self.resolver(host, port, 0, socket.SOCK_STREAM)
        except (OSError, UnicodeError):
            # Unresolvable now: the addresses it had (a passing DNS failure drops no replica), or the
            # bare name the first time (connecting names the error); resolved again later.
            return self._resolved.get((host, port)) or [(host, label)]
        out, seen = [], set()
        for info in infos:
            address = info[4][0]
            if address not in seen:
                seen.add(address)
                out.append((address, f"{label} ({address})"))
        if out:
            self._resolved[(host, port)] = out
        return out or [(host, label)]

    def resolve(self):
        """Expands every address entry (host names through the resolver) and updates the replicas:
        new addresses join the rotation, vanished ones are dropped (their idle connections closed)."""
        wanted = []
        for host, port in self.entries:
            for connect_host, label in self._expand(host, port):
                wanted.append(Replica(connect_host, port, label))
        closing = []
        with self._lock:
            current = {replica.key: replica for replica in self._replicas}
            updated, seen = [], set()
            for replica in wanted:
                if replica.key in seen:
                    continue
                seen.add(replica.key)
                updated.append(current.get(replica.key, replica))
            for key, replica in current.items():
                if key not in seen:
                    replica.removed = True
                    closing += replica.idle + ([replica.probe] if replica.probe else [])
                    replica.idle, replica.probe = [], None
            self._replicas = updated
        for client in closing:
            _close(client)

    # ------------------------------------------------------------------ calls
    def run(self, body: Callable[[Client, IdempotencyKeys], Any], *, retrying: bool = True,
            keys: Optional[IdempotencyKeys] = None):
        """Runs `body(client, keys)` on a connection to a replica in rotation and returns its result.
        `keys` (a fresh sequence unless given) is restarted for every attempt, so each keyed write
        of the body repeats its first key. With `retrying`, a failed connection or an `unavailable`
        answer moves the call to another replica; without it that error is raised."""
        self._start_monitor()
        keys = keys or IdempotencyKeys()
        tried = set()
        attempts = []
        stale_retry_left = True
        last_failure: Optional[BaseException] = None
        while True:
            replica = self._pick(tried)
            if replica is None:
                break
            tried.add(replica.key)
            try:
                client = self._connection(replica)
            except Exception as error:
                self._ended(replica, None)
                if isinstance(error, WireServerError) and error.code not in (UNAVAILABLE, 14, 15):
                    raise  # refused at Hello (token, version): another replica would refuse too
                if not isinstance(error, (WireServerError,) + CONNECTION_FAILURES):
                    raise
                self._eject(replica, f"connect: {error}", drop_idle=True)
                attempts.append((replica.address, error))
                continue
            try:
                result = body(client, keys.restarted())
            except Exception as error:
                connection_failed = is_connection_failure(error)
                not_serving = isinstance(error, WireServerError) and error.code == UNAVAILABLE
                self._ended(replica, None if (connection_failed or not_serving) else client)
                if connection_failed or not_serving:
                    _close(client)
                if not (connection_failed or not_serving):
                    raise
                self._eject(replica, str(error), drop_idle=connection_failed)
                if not retrying:
                    raise
                last_failure = error
                attempts.append((replica.address, error))
                if connection_failed and stale_retry_left:
                    # A connection that failed after the call was sent may just have been stale (the
                    # replica restarted): one more attempt, on any replica, this one included.
                    stale_retry_left = False
                    tried.discard(replica.key)
                continue
            except BaseException:
                self._ended(replica, None)
                _close(client)
                raise
            self._ended(replica, client)
            return result
        if last_failure is not None:
            raise last_failure
        raise RegistryUnreachable(attempts, role=self.role)

    def call(self, request, *, keyed: bool = True, keys: Optional[IdempotencyKeys] = None):
        """Sends one request and returns its decoded answer. A keyed write (keys.KEYED_WRITES) goes
        as a keyed request with the next key of `keys` (unless `keyed` is False) and is retried;
        reads are retried; other writes, and writes sent without a key, are not."""
        opcode = request.OPCODE
        if opcode in KEYED_WRITES and keyed:
            return self.run(lambda client, k: client.call(request, k.next()), retrying=True, keys=keys)
        return self.run(lambda client, _: client.call(request), retrying=opcode not in WRITES)

    # common and predictor operations
    def ping(self, payload: int = 0) -> int:
        return self.run(lambda client, _: client.ping(payload))

    def health(self) -> codec.HealthResponse:
        return self.run(lambda client, _: client.health())

    def predict(self, rows=None, columns=None, explain: int = 0, unseen: str = "model"):
        """`Client.predict` on a replica (a read: retried on another replica)."""
        return self.run(lambda client, _: client.predict(rows, columns, explain, unseen))

    def model_info(self):
        return self.run(lambda client, _: client.model_info())

    # ------------------------------------------------------------------ state
    def replicas(self) -> List[Dict[str, Any]]:
        """Each replica now: address, label, in_rotation, outstanding, calls (answered by it), reason."""
        with self._lock:
            return [{"address": replica.address, "label": replica.label, "in_rotation": replica.in_rotation,
                     "outstanding": replica.outstanding, "calls": replica.calls, "reason": replica.reason}
                    for replica in self._replicas]

    def _pick(self, tried) -> Optional[Replica]:
        """Of two replicas in rotation (not tried) drawn at random, the one with fewer calls
        outstanding; when none is in rotation, the first untried one. Counts the call outstanding."""
        with self._lock:
            candidates = [r for r in self._replicas if r.in_rotation and r.key not in tried]
            if not candidates:
                chosen = next((r for r in self._replicas if r.key not in tried), None)
            elif len(candidates) == 1:
                chosen = candidates[0]
            else:
                a, b = self._random.sample(candidates, 2)
                chosen = b if b.outstanding < a.outstanding else a
            if chosen is not None:
                chosen.outstanding += 1
            return chosen

    def _connection(self, replica: Replica) -> Client:
        with self._lock:
            if replica.idle:
                return replica.idle.pop()
        return self._connect(replica, self.timeout)

    def _connect(self, replica: Replica, timeout: float) -> Client:
        client = Client(replica.host, replica.port, client_name=self.client_name, token=self.token, timeout=timeout)
        client.sock.settimeout(self.timeout)
        return client

    def _ended(self, replica: Replica, client: Optional[Client]):
        """A call ended on `replica`; `client` (when still good) goes back to its idle connections."""
        with self._lock:
            replica.outstanding -= 1
            if client is not None:
                replica.calls += 1
                if not replica.removed and len(replica.idle) < self.max_idle:
                    replica.idle.append(client)
                    client = None
        if client is not None:
            _close(client)

    def _eject(self, replica: Replica, reason: str, drop_idle: bool = False):
        closing = []
        with self._lock:
            replica.in_rotation = False
            replica.reason = reason
            if drop_idle:
                closing, replica.idle = replica.idle, []
                if replica.probe is not None:
                    closing.append(replica.probe)
                    replica.probe = None
        for client in closing:
            _close(client)

    def _admit(self, replica: Replica, probe: Client):
        old = None
        with self._lock:
            if replica.removed:
                old = probe
            else:
                replica.in_rotation = True
                replica.reason = None
                old, replica.probe = replica.probe, probe
        if old is not None:
            _close(old)

    # ------------------------------------------------------------------ monitor
    def _start_monitor(self):
        if self._monitor is not None or self._stop.is_set():
            return
        with self._lock:
            if self._monitor is not None:
                return
            self._monitor = threading.Thread(target=self._monitor_loop, name=f"churn-pool-{self.role}", daemon=True)
            self._monitor.start()

    def _monitor_loop(self):
        names = any(not _is_ip_literal(host) for host, _ in self.entries)
        while not self._stop.wait(self.probe_interval):
            if names:
                self._since_resolve += self.probe_interval
                if self._since_resolve >= self.resolve_interval:
                    self._since_resolve = 0.0
                    try:
                        self.resolve()
                    except Exception:  # pragma: no cover - keep probing whatever the resolver does
                        pass
            self.probe_once()

    def probe_once(self):
        """One round of Health probes over every replica, concurrently (what the monitor does every
        `probe_interval`)."""
        with self._lock:
            targets = list(self._replicas)
        threads = [threading.Thread(target=self._probe, args=(replica,), daemon=True) for replica in targets]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    def _probe(self, replica: Replica):
        probe_timeout = min(self.timeout, 1.0)
        with self._lock:
            in_rotation, probe = replica.in_rotation, replica.probe
            if in_rotation:
                replica.probe = None  # taken by this round
        if in_rotation:
            try:
                if probe is None:
                    probe = self._connect(replica, probe_timeout)
                probe.sock.settimeout(probe_timeout)
                health = probe.health()
            except Exception as error:
                if probe is not None:
                    _close(probe)
                self._eject(replica, f"Health: {error}", drop_idle=True)
                return
            with self._lock:
                if replica.probe is None and not replica.removed:
                    replica.probe, probe = probe, None
            if probe is not None:
                _close(probe)
            if health.status != HEALTH_SERVING:
                self._eject(replica, f"Health: {HEALTH_NAMES.get(health.status, health.status)} {health.detail}")
        else:
            fresh = None
            try:
                fresh = self._connect(replica, probe_timeout)
                fresh.sock.settimeout(probe_timeout)
                health = fresh.health()
            except Exception:
                _close(fresh)
                return  # still down: probed again next round
            if health.status == HEALTH_SERVING:
                self._admit(replica, fresh)
            else:
                _close(fresh)

    # ------------------------------------------------------------------ lifetime
    def close(self):
        """Stops the monitor and closes every connection."""
        self._stop.set()
        if self._monitor is not None:
            self._monitor.join(timeout=5)
        with self._lock:
            closing = []
            for replica in self._replicas:
                closing += replica.idle + ([replica.probe] if replica.probe else [])
                replica.idle, replica.probe = [], None
        for client in closing:
            _close(client)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _close(client: Optional[Client]):
    if client is None:
        return
    try:
        client.close()
    except OSError:
        pass
