"""An independent reader of TensorBoard event files, for the tests: no code shared with the C# writer.

TFRecord framing and its masked CRC32C are checked here with a table-driven CRC written from the polynomial; the
Event and Summary messages are decoded by the protobuf runtime (Debian's python3-protobuf) from descriptors built
below with TensorBoard's field numbers. Events are then accumulated as TensorBoard's EventAccumulator does: files
in name order, and a SessionLog START at step s drops every scalar recorded earlier at a step >= s.

Usage: read_tfevents.py RUN_FOLDER  ->  JSON on stdout:
  {"files": [{"name", "file_version", "starts": [step...], "events": n}], "scalars": [[tag, step, value], ...]}
Exit 1 with the reason on stderr for a CRC mismatch or a torn record.
"""
import glob
import json
import os
import struct
import sys

from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

# ---- CRC-32C (Castagnoli, reflected polynomial 0x82F63B78) --------------------------------------
_TABLE = []
for _n in range(256):
    _c = _n
    for _ in range(8):
        _c = (_c >> 1) ^ 0x82F63B78 if _c & 1 else _c >> 1
    _TABLE.append(_c)


def crc32c(data):
    crc = 0xFFFFFFFF
    for b in data:
        crc = _TABLE[(crc ^ b) & 0xFF] ^ (crc >> 8)
    return crc ^ 0xFFFFFFFF


def masked(crc):
    return ((((crc >> 15) | (crc << 17)) & 0xFFFFFFFF) + 0xA282EAD8) & 0xFFFFFFFF


assert crc32c(b"123456789") == 0xE3069283  # the standard check value of CRC-32C


# ---- Event / Summary / SessionLog descriptors (tensorflow/core/util/event.proto, framework/summary.proto) ----
def _messages():
    f = descriptor_pb2.FileDescriptorProto(name="tb_reader_event.proto", package="tbreader", syntax="proto3")
    L = descriptor_pb2.FieldDescriptorProto

    def field(msg, name, number, ftype, type_name=None, oneof=None, label=L.LABEL_OPTIONAL):
        fd = msg.field.add(name=name, number=number, type=ftype, label=label)
        if type_name:
            fd.type_name = type_name
        if oneof is not None:
            fd.oneof_index = oneof

    summary = f.message_type.add(name="Summary")
    value = summary.nested_type.add(name="Value")
    value.oneof_decl.add(name="value")
    field(value, "node_name", 7, L.TYPE_STRING)
    field(value, "tag", 1, L.TYPE_STRING)
    field(value, "simple_value", 2, L.TYPE_FLOAT, oneof=0)
    field(summary, "value", 1, L.TYPE_MESSAGE, ".tbreader.Summary.Value", label=L.LABEL_REPEATED)

    session = f.message_type.add(name="SessionLog")
    status = session.enum_type.add(name="SessionStatus")
    for i, n in enumerate(["STATUS_UNSPECIFIED", "START", "STOP", "CHECKPOINT"]):
        status.value.add(name=n, number=i)
    field(session, "status", 1, L.TYPE_ENUM, ".tbreader.SessionLog.SessionStatus")
    field(session, "checkpoint_path", 2, L.TYPE_STRING)
    field(session, "msg", 3, L.TYPE_STRING)

    event = f.message_type.add(name="Event")
    event.oneof_decl.add(name="what")
    field(event, "wall_time", 1, L.TYPE_DOUBLE)
    field(event, "step", 2, L.TYPE_INT64)
    field(event, "file_version", 3, L.TYPE_STRING, oneof=0)
    field(event, "graph_def", 4, L.TYPE_BYTES, oneof=0)
    field(event, "summary", 5, L.TYPE_MESSAGE, ".tbreader.Summary", oneof=0)
    field(event, "session_log", 7, L.TYPE_MESSAGE, ".tbreader.SessionLog", oneof=0)

    pool = descriptor_pool.DescriptorPool()
    pool.Add(f)
    d = pool.FindMessageTypeByName("tbreader.Event")
    get = getattr(message_factory, "GetMessageClass", None)
    return get(d) if get else message_factory.MessageFactory(pool).GetPrototype(d)


Event = _messages()


def records(path):
    with open(path, "rb") as stream:
        data = stream.read()
    at = 0
    while at < len(data):
        if at + 12 > len(data):
            raise ValueError(f"{path}: torn record header at byte {at}")
        header = data[at:at + 8]
        (length,) = struct.unpack("<Q", header)
        (length_crc,) = struct.unpack("<I", data[at + 8:at + 12])
        if masked(crc32c(header)) != length_crc:
            raise ValueError(f"{path}: length CRC mismatch at byte {at}")
        payload = data[at + 12:at + 12 + length]
        if len(payload) != length or at + 16 + length > len(data):
            raise ValueError(f"{path}: torn record at byte {at}")
        (payload_crc,) = struct.unpack("<I", data[at + 12 + length:at + 16 + length])
        if masked(crc32c(payload)) != payload_crc:
            raise ValueError(f"{path}: payload CRC mismatch at byte {at}")
        yield payload
        at += 16 + length


def main(folder):
    files, scalars = [], []
    for path in sorted(glob.glob(os.path.join(folder, "*tfevents*"))):
        info = {"name": os.path.basename(path), "file_version": None, "starts": [], "events": 0}
        for payload in records(path):
            event = Event()
            event.ParseFromString(payload)
            info["events"] += 1
            kind = event.WhichOneof("what")
            if kind == "file_version":
                info["file_version"] = event.file_version
            elif kind == "session_log" and event.session_log.status == 1:
                info["starts"].append(event.step)
                scalars = [s for s in scalars if s[1] < event.step]
            elif kind == "summary":
                for v in event.summary.value:
                    if v.WhichOneof("value") == "simple_value":
                        scalars.append([v.tag, event.step, v.simple_value])
        files.append(info)
    json.dump({"files": files, "scalars": scalars}, sys.stdout)


if __name__ == "__main__":
    try:
        main(sys.argv[1])
    except ValueError as e:
        print(e, file=sys.stderr)
        sys.exit(1)
