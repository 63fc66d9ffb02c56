// libFuzzer's driver entry point (compiler-rt, linked by -sanitize=fuzzer): runs the fuzzing loop
// over the given callback with the process's command-line options. Declared here so the Swift fuzz
// targets can have an ordinary main (SwiftPM renames an executable's main symbol, so libFuzzer's
// own main cannot be used).
#ifndef CFUZZERDRIVER_H
#define CFUZZERDRIVER_H
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif
