"""Predictor messages of the Churn wire protocol v1 (Protocols/wire.md §13): Predict, ModelInfo,
PredictorReload, PredictorDrift. Standard library only; registers the response types with `codec`.
"""

import math
import struct
from dataclasses import dataclass, field
from typing import List, Optional, Sequence, Tuple

from . import codec
from .codec import Reader, WireDecodeError, w_bool, w_optional, w_string, w_u8, w_u16, w_u32, w_u64

OP_PREDICT = 0x0300
OP_MODEL_INFO = 0x0301
OP_PREDICTOR_RELOAD = 0x0302
OP_PREDICTOR_DRIFT = 0x0303
DRIFT_STABLE, DRIFT_WARNING, DRIFT_ALERT = 0, 1, 2

NUMBER, TEXT = 0, 1
UNSEEN_MODEL_DEFAULT, UNSEEN_ZEROS, UNSEEN_ERROR = 0, 1, 2
UNSEEN_NAMES = {"model": UNSEEN_MODEL_DEFAULT, "zeros": UNSEEN_ZEROS, "error": UNSEEN_ERROR}
KIND_NUMERIC, KIND_BINARY, KIND_CATEGORICAL = 0, 1, 2
MISSING_NUMBER = struct.pack(">Q", 0x7FF8000000000000)
MAX_COLUMNS = 1024
MAX_NAME = 256
ROW_BOUND = 16 * 1024 * 1024


def w_f32(v): return struct.pack(">f", v)
def w_f64(v): return struct.pack(">d", v)


@dataclass
class PredictColumn:
    """One input column: `values` are numbers (None = missing) for NUMBER, strings (None = missing) for TEXT."""
    name: str
    type: int
    values: list

    @classmethod
    def numbers(cls, name: str, values: Sequence[Optional[float]]):
        return cls(name, NUMBER, [None if v is None or (isinstance(v, float) and math.isnan(v)) else float(v)
                                  for v in values])

    @classmethod
    def texts(cls, name: str, values: Sequence[Optional[str]]):
        return cls(name, TEXT, list(values))

    def encode(self) -> bytes:
        out = [w_string(self.name), w_u8(self.type), w_u32(len(self.values))]
        if self.type == NUMBER:
            out += [MISSING_NUMBER if v is None or math.isnan(v) else w_f64(v) for v in self.values]
        else:
            out += [w_optional(v, w_string) for v in self.values]
        return b"".join(out)

    @classmethod
    def decode(cls, r: Reader, index: int):
        name = r.string(f"columns[{index}].name", MAX_NAME)
        kind = r.u8(f"columns[{index}].type")
        if kind == NUMBER:
            n = r.length(f"columns[{index}].values", ROW_BOUND, 8)
            values = []
            for _ in range(n):
                v = r.f64(f"columns[{index}].values[]")
                values.append(None if math.isnan(v) else v)
        elif kind == TEXT:
            n = r.length(f"columns[{index}].values", ROW_BOUND, 1)
            values = [r.optional("values[]", lambda: r.string("values[]")) for _ in range(n)]
        else:
            raise WireDecodeError(f"'columns[{index}].type' has invalid value {kind}")
        return cls(name, kind, values)


@dataclass
class PredictRequest:
    columns: List[PredictColumn]
    explain: int = 0
    unseen: int = UNSEEN_MODEL_DEFAULT
    OPCODE = OP_PREDICT

    def encode(self):
        return (w_u16(self.explain) + w_u8(self.unseen) + w_u32(len(self.columns))
                + b"".join(c.encode() for c in self.columns))

    @classmethod
    def decode(cls, r: Reader):
        explain = r.u16("explain")
        unseen = r.u8("unseen")
        if unseen > 2:
            raise WireDecodeError(f"'unseen' has invalid value {unseen}")
        n = r.length("columns", MAX_COLUMNS, 9)
        return cls([PredictColumn.decode(r, i) for i in range(n)], explain, unseen)


@dataclass
class PredictWarning:
    row: int
    column: str
    value: str
    message: str

    def encode(self):
        return w_u32(self.row) + w_string(self.column) + w_string(self.value) + w_string(self.message)

    @classmethod
    def decode(cls, r):
        return cls(r.u32("row"), r.string("column", MAX_NAME), r.string("value"), r.string("message"))


@dataclass
class PredictResponse:
    model: str
    version: str
    threshold: float
    probabilities: List[float]
    labels: List[bool]
    factor_columns: List[str] = field(default_factory=list)
    factors: List[List[Tuple[int, float]]] = field(default_factory=list)
    warnings: List[PredictWarning] = field(default_factory=list)

    def encode(self):
        out = [w_string(self.model), w_string(self.version), w_f64(self.threshold)]
        out += [w_u32(len(self.probabilities))] + [w_f32(p) for p in self.probabilities]
        out += [w_u32(len(self.labels))] + [w_bool(b) for b in self.labels]
        out += [w_u32(len(self.factor_columns))] + [w_string(c) for c in self.factor_columns]
        out += [w_u32(len(self.factors))]
        for row in self.factors:
            out += [w_u32(len(row))] + [w_u16(c) + w_f64(v) for c, v in row]
        out += [w_u32(len(self.warnings))] + [w.encode() for w in self.warnings]
        return b"".join(out)

    @classmethod
    def decode(cls, r):
        model, version, threshold = r.string("model", 1024), r.string("version", 1024), r.f64("threshold")
        probabilities = [r.f32("probabilities[]") for _ in range(r.length("probabilities", ROW_BOUND, 4))]
        labels = [r.boolean("labels[]") for _ in range(r.length("labels", ROW_BOUND, 1))]
        columns = [r.string("factorColumns[]", MAX_NAME) for _ in range(r.length("factorColumns", 1024, 4))]
        factors = []
        for _ in range(r.length("factors", ROW_BOUND, 4)):
            factors.append([(r.u16("column"), r.f64("contribution")) for _ in range(r.length("factors[]", 1024, 10))])
        warnings = [PredictWarning.decode(r) for _ in range(r.length("warnings", ROW_BOUND, 16))]
        return cls(model, version, threshold, probabilities, labels, columns, factors, warnings)

    def rows(self):
        """Per row: dict(probability, label, factors=[(column name, contribution)])."""
        out = []
        for i, p in enumerate(self.probabilities):
            row = {"probability": p, "label": self.labels[i]}
            if self.factors:
                row["factors"] = [(self.factor_columns[c], v) for c, v in self.factors[i]]
            out.append(row)
        return out


@dataclass
class ModelInfoRequest:
    OPCODE = OP_MODEL_INFO

    def encode(self): return b""

    @classmethod
    def decode(cls, r): return cls()


@dataclass
class ModelInfoField:
    name: str
    kind: int
    value_type: int
    categories: List[str] = field(default_factory=list)
    fill: Optional[str] = None
    numeric_fill: Optional[float] = None
    minimum: Optional[float] = None
    maximum: Optional[float] = None

    def encode(self):
        return (w_string(self.name) + w_u8(self.kind) + w_u8(self.value_type) + w_u32(len(self.categories))
                + b"".join(w_string(c) for c in self.categories) + w_optional(self.fill, w_string)
                + w_optional(self.numeric_fill, w_f64) + w_optional(self.minimum, w_f64)
                + w_optional(self.maximum, w_f64))

    @classmethod
    def decode(cls, r):
        name, kind, value_type = r.string("name", MAX_NAME), r.u8("kind"), r.u8("valueType")
        if kind > 2 or value_type > 1:
            raise WireDecodeError(f"invalid field kind {kind} or value type {value_type}")
        categories = [r.string("categories[]") for _ in range(r.length("categories", 65536, 4))]
        return cls(name, kind, value_type, categories, r.optional("fill", lambda: r.string("fill")),
                   r.optional("numericFill", lambda: r.f64("numericFill")),
                   r.optional("minimum", lambda: r.f64("minimum")), r.optional("maximum", lambda: r.f64("maximum")))


@dataclass
class ModelInfoResponse:
    model: str
    version: str
    sha256: str
    generation: int
    loaded_at_millis: int
    source: str
    threshold: float
    target: str
    positive_label: str
    unseen_policy: int
    fields: List[ModelInfoField]
    metrics: List[Tuple[str, float]]
    lineage: List[Tuple[str, str]]

    def encode(self):
        out = [w_string(self.model), w_string(self.version), w_string(self.sha256), w_u64(self.generation),
               w_u64(self.loaded_at_millis), w_string(self.source), w_f64(self.threshold), w_string(self.target),
               w_string(self.positive_label), w_u8(self.unseen_policy)]
        out += [w_u32(len(self.fields))] + [f.encode() for f in self.fields]
        out += [w_u32(len(self.metrics))] + [w_string(k) + w_f64(v) for k, v in self.metrics]
        out += [w_u32(len(self.lineage))] + [w_string(k) + w_string(v) for k, v in self.lineage]
        return b"".join(out)

    @classmethod
    def decode(cls, r):
        head = [r.string("model", 1024), r.string("version", 1024), r.string("sha256", 64), r.u64("generation"),
                r.u64("loadedAtMillis"), r.string("source"), r.f64("threshold"), r.string("target", MAX_NAME),
                r.string("positiveLabel"), r.u8("unseenPolicy")]
        if head[-1] not in (UNSEEN_ZEROS, UNSEEN_ERROR):
            raise WireDecodeError(f"'unseenPolicy' has invalid value {head[-1]}")
        fields = [ModelInfoField.decode(r) for _ in range(r.length("fields", 1024, 18))]
        metrics = [(r.string("name", 256), r.f64("value")) for _ in range(r.length("metrics", 256, 12))]
        lineage = [(r.string("key", 256), r.string("value")) for _ in range(r.length("lineage", 256, 8))]
        return cls(*head, fields, metrics, lineage)


@dataclass
class PredictorReloadRequest:
    OPCODE = OP_PREDICTOR_RELOAD

    def encode(self): return b""

    @classmethod
    def decode(cls, r): return cls()


@dataclass
class PredictorReloadResponse:
    changed: bool
    model: str
    version: str
    generation: int

    def encode(self):
        return w_bool(self.changed) + w_string(self.model) + w_string(self.version) + w_u64(self.generation)

    @classmethod
    def decode(cls, r):
        return cls(r.boolean("changed"), r.string("model", 1024), r.string("version", 1024), r.u64("generation"))


@dataclass
class PredictorDriftRequest:
    OPCODE = OP_PREDICTOR_DRIFT

    def encode(self): return b""

    @classmethod
    def decode(cls, r): return cls()


@dataclass
class DriftEntry:
    """One input column's (or the score's) PSI over the window; psi is None with no rows."""
    name: str
    psi: Optional[float]
    level: int

    def encode(self):
        return w_string(self.name) + (MISSING_NUMBER if self.psi is None else w_f64(self.psi)) + w_u8(self.level)

    @classmethod
    def decode(cls, r):
        name, psi, level = r.string("name", MAX_NAME), r.f64("psi"), r.u8("level")
        if level not in (DRIFT_STABLE, DRIFT_WARNING, DRIFT_ALERT):
            raise WireDecodeError(f"'level' has invalid value {level}")
        return cls(name, None if math.isnan(psi) else psi, level)


@dataclass
class PredictorDriftResponse:
    model: str
    version: str
    rows: int
    minimum_rows: int
    columns: List[DriftEntry]
    score: DriftEntry

    def encode(self):
        return (w_string(self.model) + w_string(self.version) + w_u64(self.rows) + w_u64(self.minimum_rows)
                + w_u32(len(self.columns)) + b"".join(c.encode() for c in self.columns) + self.score.encode())

    @classmethod
    def decode(cls, r):
        head = [r.string("model", 1024), r.string("version", 1024), r.u64("rows"), r.u64("minimumRows")]
        columns = [DriftEntry.decode(r) for _ in range(r.length("columns", MAX_COLUMNS, 13))]
        return cls(*head, columns, DriftEntry.decode(r))


def columns_from_rows(rows: Sequence[dict]) -> List[PredictColumn]:
    """Column-wise Predict columns from row dicts (every row has the same keys). A column whose
    non-missing values are all numbers (bool excluded) is a NUMBER column, otherwise TEXT (bools as
    "true"/"false", numbers as written)."""
    if not rows:
        raise ValueError("no rows")
    names = list(rows[0].keys())
    for i, row in enumerate(rows):
        if set(row.keys()) != set(names):
            raise ValueError(f"row {i} has different fields than the first row")
    columns = []
    for name in names:
        values = [row[name] for row in rows]
        present = [v for v in values if v is not None]
        if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in present):
            columns.append(PredictColumn.numbers(name, values))
        else:
            columns.append(PredictColumn.texts(name, [None if v is None else _text(v) for v in values]))
    return columns


MISSING_TOKENS = {"", "na", "n/a", "nan", "null", "none"}


def columns_from_csv(path: str) -> List[PredictColumn]:
    """Column-wise Predict columns from a CSV file, typed like `churn`'s CSV reader: empty fields and
    NA, N/A, NaN, null, None (any case) are missing; a column whose other fields all parse as finite
    decimal numbers is a NUMBER column, otherwise TEXT."""
    import csv
    with open(path, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    if not rows:
        raise ValueError(f"{path} is empty")
    header, data = rows[0], rows[1:]
    columns = []
    for index, name in enumerate(header):
        raw = [row[index] if index < len(row) else "" for row in data]
        cells = [None if v.strip().lower() in MISSING_TOKENS else v for v in raw]
        numbers = []
        for v in cells:
            number = _decimal(v) if v is not None else None
            if v is not None and number is None:
                columns.append(PredictColumn.texts(name, cells))
                break
            numbers.append(number)
        else:
            columns.append(PredictColumn.numbers(name, numbers))
    return columns


def _decimal(text: str) -> Optional[float]:
    t = text.strip(" \t")
    if not t or any(c not in "0123456789+-.eE" for c in t):
        return None
    try:
        value = float(t)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)


codec.RESPONSE_TYPES.update({
    OP_PREDICT: PredictResponse, OP_MODEL_INFO: ModelInfoResponse, OP_PREDICTOR_RELOAD: PredictorReloadResponse,
    OP_PREDICTOR_DRIFT: PredictorDriftResponse,
})
