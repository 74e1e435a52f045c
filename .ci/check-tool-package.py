#!/usr/bin/env python3
"""Checks that the packed vinfer tool ships precompiled (docs/stan-comparison.md, "What ships").

Usage: .ci/check-tool-package.py PACKAGES_DIR   (the output folder of `dotnet pack src/Vinfer.Cli -o PACKAGES_DIR`)

The linux-x64 tool package must exist, every managed assembly in it must carry ReadyToRun code (a non-empty
ManagedNativeHeader in its CLI header), and the start-up assemblies must be compiled as one version bubble
(src/Vinfer.Cli/ReadyToRunVersionBubble.targets): their images then hold code for generic methods of the other
assemblies (TensorPrimitives.Log<double> in Vinfer.dll), which sets READYTORUN_FLAG_UNRELATED_R2R_CODE. (The SDK's
per-assembly images have MULTIMODULE_VERSION_BUBBLE set too, so that flag does not tell them apart.) Prints one line per
failure and exits 1 on any; prints one summary line and exits 0 otherwise.
"""
import glob
import os
import struct
import sys
import zipfile

BUBBLE = ["Vinfer", "Vinfer.Cli", "Vinfer.Experiments", "System.Numerics.Tensors", "System.CommandLine", "Parquet"]
UNRELATED_R2R_CODE = 0x80  # READYTORUN_FLAG_UNRELATED_R2R_CODE in the runtime's readytorun.h


def rva_to_offset(data, sections, rva):
    for va, size, raw in sections:
        if va <= rva < va + size:
            return rva - va + raw
    raise ValueError(f"RVA {rva:#x} is outside every section")


def ready_to_run_flags(data):
    """None for a file without a CLI header (native); 0-size header -> IL only: returns -1; else the R2R header's flags."""
    pe = struct.unpack_from("<I", data, 0x3C)[0]
    if data[pe:pe + 4] != b"PE\0\0":
        raise ValueError("no PE signature")
    sections_count, optional_size = struct.unpack_from("<H", data, pe + 6)[0], struct.unpack_from("<H", data, pe + 20)[0]
    optional = pe + 24
    directories = optional + (96 if struct.unpack_from("<H", data, optional)[0] == 0x10B else 112)
    clr_rva = struct.unpack_from("<I", data, directories + 14 * 8)[0]
    if clr_rva == 0:
        return None
    table = optional + optional_size
    sections = []
    for i in range(sections_count):
        virtual_size, va, raw_size, raw = struct.unpack_from("<IIII", data, table + 40 * i + 8)
        sections.append((va, max(virtual_size, raw_size), raw))
    cor20 = rva_to_offset(data, sections, clr_rva)
    native_rva, native_size = struct.unpack_from("<II", data, cor20 + 64)  # IMAGE_COR20_HEADER.ManagedNativeHeader
    if native_size == 0:
        return -1
    header = rva_to_offset(data, sections, native_rva)
    signature, _major, _minor, flags = struct.unpack_from("<IHHI", data, header)
    if signature != 0x00525452:  # "RTR"
        raise ValueError(f"ManagedNativeHeader is not a ReadyToRun header (signature {signature:#x})")
    return flags


def main():
    if len(sys.argv) != 2 or not os.path.isdir(sys.argv[1]):
        print("usage: .ci/check-tool-package.py PACKAGES_DIR (the folder `dotnet pack src/Vinfer.Cli -o` wrote)")
        return 2
    packages = glob.glob(os.path.join(sys.argv[1], "Vinfer.Cli.linux-x64.*.nupkg"))
    if len(packages) != 1:
        print(f"tool package check: expected one Vinfer.Cli.linux-x64.*.nupkg in {sys.argv[1]}, found {len(packages)}")
        return 1
    failures, managed = [], 0
    with zipfile.ZipFile(packages[0]) as z:
        for name in z.namelist():
            if not name.endswith(".dll") or name.endswith(".resources.dll"):
                continue
            flags = ready_to_run_flags(z.read(name))
            if flags is None:
                continue
            managed += 1
            assembly = os.path.basename(name)[:-4]
            if flags == -1:
                failures.append(f"{name}: IL only, no ReadyToRun code")
            elif assembly in BUBBLE and not flags & UNRELATED_R2R_CODE:
                failures.append(f"{name}: ReadyToRun but not compiled in the start-up version bubble (flags {flags:#x})")
        missing = [a for a in BUBBLE if not any(n.endswith(f"/{a}.dll") for n in z.namelist())]
    failures += [f"{packages[0]}: no {a}.dll" for a in missing]
    for f in failures:
        print("tool package check: " + f)
    if failures:
        return 1
    print(f"tool package check: {os.path.basename(packages[0])}: {managed} managed assemblies, all ReadyToRun; "
          f"{len(BUBBLE)} in one version bubble")
    return 0


if __name__ == "__main__":
    sys.exit(main())
