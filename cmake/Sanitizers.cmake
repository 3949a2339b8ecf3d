# SPDX-License-Identifier: MIT
# EPSINAS_SANITIZE: everything this build compiles (core, the CLI, their tests) with AddressSanitizer and
# UndefinedBehaviorSanitizer, stopping at the first undefined behaviour. EPSINAS_FUZZ: the libFuzzer targets of
# tests/fuzz, and coverage instrumentation for the code they reach. Both need clang and its runtimes
# (packaging/install-deps.sh installs them); a build that asks for them without those stops here, not at link time.
include(CheckCXXSourceCompiles)

if(EPSINAS_FUZZ AND NOT EPSINAS_SANITIZE)
    message(FATAL_ERROR "EPSINAS_FUZZ=ON needs EPSINAS_SANITIZE=ON: a fuzzer without AddressSanitizer and "
        "UndefinedBehaviorSanitizer only finds crashes, not the memory errors and undefined behaviour behind them")
endif()
# What the tests of a sanitized build run with (empty otherwise): leaks are errors, every report has a symbolised
# stack, and LibTorch's own static state, which is not instrumented, is suppressed as tests/sanitize/lsan.supp lists.
set(EPSINAS_SANITIZER_ENVIRONMENT "")
if(NOT EPSINAS_SANITIZE)
    return()
endif()
set(EPSINAS_SANITIZER_ENVIRONMENT
    "ASAN_OPTIONS=detect_leaks=1:check_initialization_order=1"
    "LSAN_OPTIONS=suppressions=${PROJECT_SOURCE_DIR}/tests/sanitize/lsan.supp:print_suppressions=0"
    "UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1")
if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "EPSINAS_SANITIZE=ON and EPSINAS_FUZZ=ON need clang, but the C++ compiler is "
        "${CMAKE_CXX_COMPILER_ID} (${CMAKE_CXX_COMPILER}): configure a fresh build folder with "
        "-DCMAKE_CXX_COMPILER=clang++ (packaging/install-deps.sh installs clang and libclang-rt-14-dev)")
endif()

# Frame pointers keep ASan's stack traces whole; -fno-sanitize-recover makes undefined behaviour fail the test that
# meets it instead of printing a line nobody reads.
set(EPSINAS_SANITIZER_FLAGS -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
set(CMAKE_REQUIRED_FLAGS "${EPSINAS_SANITIZER_FLAGS}")
string(REPLACE ";" " " CMAKE_REQUIRED_FLAGS "${CMAKE_REQUIRED_FLAGS}")
set(CMAKE_REQUIRED_LINK_OPTIONS ${EPSINAS_SANITIZER_FLAGS})
check_cxx_source_compiles("int main() { return 0; }" EPSINAS_HAVE_SANITIZER_RUNTIME)
if(NOT EPSINAS_HAVE_SANITIZER_RUNTIME)
    message(FATAL_ERROR "EPSINAS_SANITIZE=ON: ${CMAKE_CXX_COMPILER} cannot link -fsanitize=address,undefined; "
        "the sanitizer runtimes are missing (Debian: libclang-rt-14-dev, see packaging/install-deps.sh)")
endif()
if(EPSINAS_FUZZ)
    set(CMAKE_REQUIRED_LINK_OPTIONS ${EPSINAS_SANITIZER_FLAGS} -fsanitize=fuzzer)
    check_cxx_source_compiles([[
#include <cstddef>
#include <cstdint>
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t*, std::size_t) { return 0; }
]] EPSINAS_HAVE_LIBFUZZER)
    if(NOT EPSINAS_HAVE_LIBFUZZER)
        message(FATAL_ERROR "EPSINAS_FUZZ=ON: ${CMAKE_CXX_COMPILER} cannot link -fsanitize=fuzzer; libFuzzer is "
            "missing (Debian: libclang-rt-14-dev, see packaging/install-deps.sh)")
    endif()
    # Every library the targets link records the edges it takes, so libFuzzer sees the parsers' coverage.
    list(APPEND EPSINAS_SANITIZER_FLAGS -fsanitize=fuzzer-no-link)
endif()
unset(CMAKE_REQUIRED_FLAGS)
unset(CMAKE_REQUIRED_LINK_OPTIONS)
add_compile_options(${EPSINAS_SANITIZER_FLAGS})
add_link_options(${EPSINAS_SANITIZER_FLAGS})
