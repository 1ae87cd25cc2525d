# One helper registers every test executable, so each gets the same environment, a timeout and
# labels (unit, gui, integration, bench).
#
#   kwb_add_test(NAME tst_x SOURCES a.cpp LIBRARIES kwb_core LABELS unit [TIMEOUT 60])
#   kwb_add_peer_test(NAME tst_y SOURCES b.cpp LIBRARIES kwb_core)   # one CTest test per peer

set(KWB_TEST_DATA_DIR "${PROJECT_SOURCE_DIR}/tests/data")
set(KWB_PEER_STATE_DIR "${PROJECT_BINARY_DIR}/peers")
set(KWB_TEST_PEERS kinesalite kinesismock sandbox) # sandbox: `kwb sandbox`, the built-in one

set(KWB_TEST_ENVIRONMENT
    "QT_QPA_PLATFORM=offscreen"
    "LC_ALL=C.UTF-8"
    "KWB_TEST_DATA=${KWB_TEST_DATA_DIR}"
    "KWB_PEER_STATE_DIR=${KWB_PEER_STATE_DIR}"
    "KWB_SOURCE_DIR=${PROJECT_SOURCE_DIR}"
    "KWB_BINARY_DIR=${PROJECT_BINARY_DIR}"
    # Tests never pick up the developer's own AWS configuration or credentials.
    "AWS_CONFIG_FILE=/nonexistent/kwb-test-aws-config"
    "AWS_SHARED_CREDENTIALS_FILE=/nonexistent/kwb-test-aws-credentials"
    "AWS_PROFILE="
    "AWS_ACCESS_KEY_ID="
    "AWS_SECRET_ACCESS_KEY="
    "AWS_SESSION_TOKEN="
    "AWS_REGION="
    "AWS_DEFAULT_REGION="
    "AWS_ENDPOINT_URL="
    "AWS_ENDPOINT_URL_KINESIS="
    # Nor a key that would make every `kwb sandbox` a test starts require signatures.
    "KWB_SANDBOX_VERIFY_SIGNATURES=")

# Sanitized builds (the asan preset) run several times slower: their test timeouts are scaled.
if(KWB_SANITIZE)
    set(KWB_TIMEOUT_SCALE 5)
    # Leaks inside libcrypto at exit are Qt's TLS backend's (tests/sanitizers/lsan.supp says why).
    list(APPEND KWB_TEST_ENVIRONMENT "LSAN_OPTIONS=suppressions=${PROJECT_SOURCE_DIR}/tests/sanitizers/lsan.supp")
else()
    set(KWB_TIMEOUT_SCALE 1)
endif()

# Every test executable but the GUI ones (labelled gui, or linking kwb_ui): what `make asan`
# builds (and runs).
if(NOT TARGET headless_tests)
    add_custom_target(headless_tests)
endif()

function(kwb_add_test)
    cmake_parse_arguments(T "" "NAME;TIMEOUT" "SOURCES;LIBRARIES;LABELS;ENVIRONMENT;ARGS;FIXTURES" ${ARGN})
    if(NOT T_TIMEOUT)
        set(T_TIMEOUT 120)
    endif()
    math(EXPR T_TIMEOUT "${T_TIMEOUT} * ${KWB_TIMEOUT_SCALE}")
    if(NOT T_LABELS)
        set(T_LABELS unit)
    endif()
    add_executable(${T_NAME} ${T_SOURCES})
    target_link_libraries(${T_NAME} PRIVATE kwb_warnings Qt6::Test ${T_LIBRARIES})
    target_include_directories(${T_NAME} PRIVATE ${PROJECT_SOURCE_DIR}/tests/support)
    kwb_precompile_test(${T_NAME} ${T_LIBRARIES})
    if(NOT "gui" IN_LIST T_LABELS AND NOT "kwb_ui" IN_LIST T_LIBRARIES)
        add_dependencies(headless_tests ${T_NAME})
    endif()
    add_test(NAME ${T_NAME} COMMAND ${T_NAME} ${T_ARGS})
    set_tests_properties(${T_NAME} PROPERTIES
        ENVIRONMENT "${KWB_TEST_ENVIRONMENT};${T_ENVIRONMENT}"
        TIMEOUT ${T_TIMEOUT}
        LABELS "${T_LABELS}")
    if(T_FIXTURES)
        set_tests_properties(${T_NAME} PROPERTIES FIXTURES_REQUIRED "${T_FIXTURES}")
    endif()
endfunction()

# The same test executable, run once against every peer (KWB_TEST_PEER names the peer; the
# fixture writes its endpoint URL to ${KWB_PEER_STATE_DIR}/<peer>.endpoint).
function(kwb_add_peer_test)
    cmake_parse_arguments(T "" "NAME;TIMEOUT" "SOURCES;LIBRARIES;PEERS" ${ARGN})
    if(NOT T_TIMEOUT)
        set(T_TIMEOUT 300)
    endif()
    math(EXPR T_TIMEOUT "${T_TIMEOUT} * ${KWB_TIMEOUT_SCALE}")
    if(NOT T_PEERS)
        set(T_PEERS ${KWB_TEST_PEERS})
    endif()
    add_executable(${T_NAME} ${T_SOURCES})
    target_link_libraries(${T_NAME} PRIVATE kwb_warnings Qt6::Test ${T_LIBRARIES})
    target_include_directories(${T_NAME} PRIVATE ${PROJECT_SOURCE_DIR}/tests/support)
    kwb_precompile_test(${T_NAME} ${T_LIBRARIES})
    # A peer test of the GUI's code (it links kwb_ui) is a gui test too: `make asan`, which leaves
    # the gui tests out, then need not build the GUI library at all.
    set(labels integration)
    if("kwb_ui" IN_LIST T_LIBRARIES)
        list(APPEND labels gui)
    else()
        add_dependencies(headless_tests ${T_NAME})
    endif()
    foreach(peer IN LISTS T_PEERS)
        add_test(NAME ${T_NAME}.${peer} COMMAND ${T_NAME})
        set_tests_properties(${T_NAME}.${peer} PROPERTIES
            ENVIRONMENT "${KWB_TEST_ENVIRONMENT};KWB_TEST_PEER=${peer}"
            TIMEOUT ${T_TIMEOUT}
            LABELS "${labels};${peer}"
            FIXTURES_REQUIRED peer.${peer}
            RESOURCE_LOCK peer.${peer})
    endforeach()
endfunction()

# Fixtures that start and stop each peer (tests/peers/peer.js).
function(kwb_add_peer_fixtures)
    find_program(KWB_NODE node REQUIRED)
    add_dependencies(headless_tests kwb)
    foreach(peer IN LISTS KWB_TEST_PEERS)
        set(launcher)
        if(peer STREQUAL "sandbox")
            set(launcher $<TARGET_FILE:kwb>) # peer.js runs `kwb sandbox --port 0 --no-limits`
        endif()
        add_test(NAME peer.${peer}.start
            COMMAND ${KWB_NODE} ${PROJECT_SOURCE_DIR}/tests/peers/peer.js start ${peer} ${KWB_PEER_STATE_DIR} ${launcher})
        set_tests_properties(peer.${peer}.start PROPERTIES
            FIXTURES_SETUP peer.${peer} TIMEOUT 90 LABELS "integration;fixture")
        add_test(NAME peer.${peer}.stop
            COMMAND ${KWB_NODE} ${PROJECT_SOURCE_DIR}/tests/peers/peer.js stop ${peer} ${KWB_PEER_STATE_DIR})
        set_tests_properties(peer.${peer}.stop PROPERTIES
            FIXTURES_CLEANUP peer.${peer} TIMEOUT 90 LABELS "integration;fixture")
    endforeach()
endfunction()

# Benchmarks: built with everything, run only by `make bench` (label `bench`; `make test`
# leaves them out). Each exits non-zero when it misses its target.
if(NOT TARGET benchmarks)
    add_custom_target(benchmarks)
endif()
function(kwb_add_benchmark)
    cmake_parse_arguments(B "" "NAME;TIMEOUT" "SOURCES;LIBRARIES;ARGS" ${ARGN})
    if(NOT B_TIMEOUT)
        set(B_TIMEOUT 900)
    endif()
    add_executable(${B_NAME} ${B_SOURCES})
    target_link_libraries(${B_NAME} PRIVATE kwb_warnings ${B_LIBRARIES})
    target_include_directories(${B_NAME} PRIVATE ${PROJECT_SOURCE_DIR}/tests/support ${PROJECT_SOURCE_DIR}/tests/benchmarks)
    add_dependencies(benchmarks ${B_NAME})
    add_test(NAME ${B_NAME} COMMAND ${B_NAME} ${B_ARGS})
    set_tests_properties(${B_NAME} PROPERTIES
        ENVIRONMENT "${KWB_TEST_ENVIRONMENT}" TIMEOUT ${B_TIMEOUT} LABELS bench RUN_SERIAL TRUE)
endfunction()
