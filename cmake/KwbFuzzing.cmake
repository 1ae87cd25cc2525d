# libFuzzer targets (tests/fuzz), built by the `fuzz` preset with clang. Everything in that
# build (kwb_core included) gets AddressSanitizer, UndefinedBehaviorSanitizer and libFuzzer's
# coverage instrumentation; only the fuzz executables link libFuzzer's main.
#
#   kwb_add_fuzzer(NAME x SOURCES x/x.cpp [LIBRARIES ...])   # builds fuzz_x
#
# Each target's committed seeds are tests/fuzz/<name>/corpus and its dictionary, if any,
# tests/fuzz/<name>/<name>.dict. Every target is also a CTest test (label `fuzz`) that runs the
# committed seeds once, so a reproducer added to a corpus stays a regression test.

if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "KWB_FUZZ needs clang (libFuzzer): configure with the `fuzz` preset")
endif()

add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined
    -fno-omit-frame-pointer -gline-tables-only)
add_link_options(-fsanitize=address,undefined)
# Qt and its headers trip clang-only pedantic warnings that GCC (the dev preset) does not have.
add_compile_options(-Wno-gnu-zero-variadic-macro-arguments)

if(NOT TARGET fuzzers)
    add_custom_target(fuzzers)
endif()

function(kwb_add_fuzzer)
    cmake_parse_arguments(F "" "NAME" "SOURCES;LIBRARIES" ${ARGN})
    set(target fuzz_${F_NAME})
    add_executable(${target} ${F_SOURCES})
    target_link_libraries(${target} PRIVATE kwb_strict kwb_core ${F_LIBRARIES})
    target_include_directories(${target} PRIVATE ${PROJECT_SOURCE_DIR}/tests/fuzz)
    target_link_options(${target} PRIVATE -fsanitize=fuzzer)
    add_dependencies(fuzzers ${target})
    set(corpus ${PROJECT_SOURCE_DIR}/tests/fuzz/${F_NAME}/corpus)
    add_test(NAME ${target} COMMAND ${target} -runs=0 ${corpus})
    set_tests_properties(${target} PROPERTIES LABELS fuzz TIMEOUT 300
        ENVIRONMENT "LC_ALL=C.UTF-8;QT_QPA_PLATFORM=offscreen")
endfunction()
