"""Which WebAssembly proposals a module uses, read from its bytes (for tests/test_browser_floor.py).

Walks every section and every instruction of the code section (the opcode table covers the MVP and
the proposals Emscripten emits); an opcode it does not know is an error, so a newer Pyodide using
something new (SIMD, tail calls, exnref, GC ...) fails the test instead of passing unnoticed.
Feature names are build_scripts/pages/browser_floor.yaml's ids.
"""

from __future__ import annotations

MAGIC = b"\0asm\1\0\0\0"
BLOCK_TYPES = {0x40, 0x7F, 0x7E, 0x7D, 0x7C, 0x7B, 0x70, 0x6F}
NO_IMMEDIATE = {0x00, 0x01, 0x05, 0x0B, 0x0F, 0x1A, 0x1B, *range(0x45, 0xC0)}


class UnknownOpcode(ValueError):
    pass


class _Reader:
    def __init__(self, data: bytes, pos: int = 0):
        self.data, self.pos = data, pos

    def byte(self) -> int:
        self.pos += 1
        return self.data[self.pos - 1]

    def uleb(self) -> int:
        result = shift = 0
        while True:
            b = self.byte()
            result |= (b & 0x7F) << shift
            shift += 7
            if b < 0x80:
                return result

    def sleb(self) -> int:
        result = shift = 0
        while True:
            b = self.byte()
            result |= (b & 0x7F) << shift
            shift += 7
            if b < 0x80:
                return result - (1 << shift) if b & 0x40 else result

    def skip(self, n: int) -> None:
        self.pos += n


def _sections(data: bytes) -> dict[int, list[tuple[int, int]]]:
    if not data.startswith(MAGIC):
        raise ValueError("not a WebAssembly module")
    r = _Reader(data, len(MAGIC))
    sections: dict[int, list[tuple[int, int]]] = {}
    while r.pos < len(data):
        sid = r.byte()
        size = r.uleb()
        sections.setdefault(sid, []).append((r.pos, size))
        r.skip(size)
    return sections


def _types(data: bytes, sections) -> list[tuple[bytes, bytes]]:
    types: list[tuple[bytes, bytes]] = []
    for start, _ in sections.get(1, []):
        r = _Reader(data, start)
        for _ in range(r.uleb()):
            if r.byte() != 0x60:
                raise UnknownOpcode("a type that is not a function type (GC proposal)")
            params = bytes(data[r.pos : r.pos + (n := r.uleb())])
            r.skip(n)
            results = bytes(data[r.pos : r.pos + (n := r.uleb())])
            r.skip(n)
            types.append((params, results))
    return types


def features(data: bytes) -> set[str]:
    sections = _sections(data)
    types = _types(data, sections)
    found = {"webassembly"}
    if 13 in sections:
        found.add("wasm-exceptions")  # a tag section
    for params, results in types:
        if 0x6F in params + results:
            found.add("wasm-reference-types")  # externref
        if 0x7B in params + results:
            found.add("wasm-simd")
        if len(results) > 1:
            found.add("wasm-multi-value")
    for start, _ in sections.get(2, []):  # imports: i64 in a function imported from JS needs BigInt
        r = _Reader(data, start)
        for _ in range(r.uleb()):
            r.skip(r.uleb())
            r.skip(r.uleb())
            kind = r.byte()
            if kind == 0:
                params, results = types[r.uleb()]
                if 0x7E in params + results:
                    found.add("wasm-bigint")
            elif kind in (1, 2):
                if kind == 1:
                    r.byte()
                flags = r.uleb()
                r.uleb()
                if flags & 1:
                    r.uleb()
                if kind == 2 and flags & 2:
                    found.add("wasm-threads")
            elif kind == 3:
                r.byte()
                if r.byte():
                    found.add("wasm-mutable-globals")
            elif kind == 4:
                r.byte()
                r.uleb()
    if sum(1 for _ in sections.get(4, [])) and _table_count(data, sections) > 1:
        found.add("wasm-reference-types")  # more than one table
    for start, size in sections.get(10, []):
        found |= _code_features(data, start, size, types)
    return found


def _table_count(data: bytes, sections) -> int:
    start, _ = sections[4][0]
    return _Reader(data, start).uleb()


def _code_features(data: bytes, start: int, size: int, types) -> set[str]:
    found: set[str] = set()
    r = _Reader(data, start)

    def block_type():
        if data[r.pos] in BLOCK_TYPES:
            r.skip(1)
        else:
            index = r.sleb()
            if index >= 0 and (types[index][0] or len(types[index][1]) > 1):
                found.add("wasm-multi-value")

    def memarg():
        if r.uleb() & 0x40:
            found.add("wasm-multi-memory")
            r.uleb()
        r.uleb()

    for _ in range(r.uleb()):
        end = r.uleb()
        end += r.pos
        for _ in range(r.uleb()):  # locals
            r.uleb()
            kind = r.byte()
            if kind in (0x6F, 0x70):
                found.add("wasm-reference-types")
            elif kind == 0x7B:
                found.add("wasm-simd")
        while r.pos < end:
            op = r.byte()
            if op in NO_IMMEDIATE:
                continue
            if op in (0x02, 0x03, 0x04):
                block_type()
            elif op == 0x06:  # try (legacy exception handling)
                found.add("wasm-exceptions")
                block_type()
            elif op in (0x07, 0x08, 0x09, 0x18):  # catch, throw, rethrow, delegate
                found.add("wasm-exceptions")
                r.uleb()
            elif op == 0x19:  # catch_all
                found.add("wasm-exceptions")
            elif op in (0x0C, 0x0D, 0x10) or 0x20 <= op <= 0x24 or op in (0x3F, 0x40):
                r.uleb()
            elif op == 0x0E:
                for _ in range(r.uleb() + 1):
                    r.uleb()
            elif op == 0x11:
                r.uleb()
                if r.uleb():
                    found.add("wasm-reference-types")  # call_indirect through another table
            elif op == 0x1C:  # typed select
                found.add("wasm-reference-types")
                r.skip(r.uleb())
            elif op in (0x25, 0x26):  # table.get / table.set
                found.add("wasm-reference-types")
                r.uleb()
            elif 0x28 <= op <= 0x3E:
                memarg()
            elif op in (0x41, 0x42):
                r.sleb()
            elif op == 0x43:
                r.skip(4)
            elif op == 0x44:
                r.skip(8)
            elif 0xC0 <= op <= 0xC4:
                found.add("wasm-sign-extension")
            elif op == 0xD0:
                found.add("wasm-reference-types")
                r.sleb()
            elif op == 0xD1:
                found.add("wasm-reference-types")
            elif op == 0xD2:
                found.add("wasm-reference-types")
                r.uleb()
            elif op == 0xFC:
                sub = r.uleb()
                if sub <= 7:
                    found.add("wasm-nontrapping-float-to-int")
                elif sub <= 11:
                    found.add("wasm-bulk-memory")
                    if sub == 8:
                        r.uleb()
                        r.uleb()
                    elif sub == 9:
                        r.uleb()
                    else:
                        r.skip(2 if sub == 10 else 1)
                elif sub <= 17:
                    found.add("wasm-reference-types")
                    r.uleb()
                    if sub in (12, 14):
                        r.uleb()
                else:
                    raise UnknownOpcode(f"0xfc {sub}")
            else:
                raise UnknownOpcode(f"{op:#04x} at byte {r.pos - 1}")
        if r.pos != end:
            raise ValueError(f"function body ends at {r.pos}, expected {end}")
    return found
