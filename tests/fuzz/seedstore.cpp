// SPDX-License-Identifier: MIT
// Writes the result-store seeds of the fuzz corpus (make-corpus.sh runs it): stores as this build writes them, since
// a SQLite file is binary and is not kept in the tree. Usage: fuzz_seedstore FOLDER
#include "store/resultstore.h"

#include <cmath>
#include <cstdio>
#include <exception>
#include <limits>
#include <string>

int main(int argc, char** argv)
{
    if (argc != 2) {
        std::fprintf(stderr, "usage: fuzz_seedstore FOLDER\n");
        return 2;
    }
    using namespace epsinas;
    const std::string folder = argv[1];
    const double nan = std::numeric_limits<double>::quiet_NaN();
    try {
        ResultStore::open(folder + "/empty.sqlite");
        ResultStore store = ResultStore::open(folder + "/scores.sqlite");
        const RunKey fast { "nb201", "grey:32@0x256#0123456789abcdef", "1e-07,1", "fp32", "fast" };
        const RunKey reference { "nb101", "noise:3@0x64#fedcba9876543210", "1e-07,1", "fp64", "reference" };
        store.write(fast,
            { { "|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|",
                  1234.5, 0.25, 0.5, "" },
                { "|none~0|+|none~0|none~1|+|none~0|none~1|none~2|", nan, 0.0, 0.0, "zero output" } });
        store.write(reference,
            { { "0110000011000010000100000:input|conv3x3-bn-relu|maxpool3x3|conv1x1-bn-relu|output", -0.0, 1e-300,
                std::numeric_limits<double>::infinity(), "" } });
    } catch (const std::exception& error) {
        std::fprintf(stderr, "fuzz_seedstore: %s\n", error.what());
        return 1;
    }
    // The stores close in WAL mode without their -wal and -shm files; only the databases are seeds.
    for (const char* name : { "/empty.sqlite", "/scores.sqlite" })
        for (const char* journal : { "-wal", "-shm" })
            std::remove((folder + name + journal).c_str());
    return 0;
}
