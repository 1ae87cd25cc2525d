# Precompiled headers: the Qt and standard headers most of our sources include are parsed once per
# library, and once per folder of tests, instead of once per source file. CI builds everything
# twice (`make test`, then `make asan`) on two cores within its 45 minutes; parsing Qt's headers
# was the largest part of that (docs/testing.md has the figures). -DKWB_PCH=OFF builds without
# them, which is how to check that every file includes what it uses.
option(KWB_PCH "Precompile the common Qt and standard headers" ON)

set(KWB_PCH_CORE_HEADERS
    <QByteArray> <QByteArrayView> <QDateTime> <QHash> <QJsonArray> <QJsonDocument> <QJsonObject>
    <QList> <QObject> <QString> <QStringList> <QTimer> <QUrl>
    <algorithm> <chrono> <cmath> <cstring> <deque> <functional> <memory> <optional> <string_view>
    <utility> <vector>)
set(KWB_PCH_WIDGET_HEADERS
    <QAction> <QComboBox> <QCoreApplication> <QFormLayout> <QHBoxLayout> <QHeaderView> <QLabel>
    <QLineEdit> <QLocale> <QMainWindow> <QPointer> <QPushButton> <QToolButton> <QVBoxLayout>
    <QWidget>)
set(KWB_PCH_TEST_HEADERS
    <QTest> <QSignalSpy> <QTemporaryDir> <QFile> <QFileInfo> <QDir> <QProcess> <QElapsedTimer>
    <QRegularExpression> <QSettings> <QRandomGenerator> <string> <map>)

# kwb_precompile(TARGET [WIDGETS]): the target's sources get the common headers precompiled
# (WIDGETS: the widget headers too).
function(kwb_precompile target)
    if(NOT KWB_PCH)
        return()
    endif()
    cmake_parse_arguments(ARG "WIDGETS" "" "" ${ARGN})
    set(headers ${KWB_PCH_CORE_HEADERS})
    if(ARG_WIDGETS)
        list(APPEND headers ${KWB_PCH_WIDGET_HEADERS})
    endif()
    target_precompile_headers(${target} PRIVATE ${headers})
endfunction()

# kwb_precompile_test(TARGET LIBRARIES...): a test reuses the precompiled headers of its folder.
# A precompiled header is only used by a compilation with the same macros, and Qt's test macros
# name the folder (QT_TESTCASE_BUILDDIR) and differ with the Qt modules linked, so there is one
# per folder and kind: headless tests (Qt Core, Network, Test) and widget tests (Gui and Widgets
# too, for tests linking kwb_ui or Qt's widgets). Each test links its kind's Qt modules, so its
# macros match; GCC's -Winvalid-pch, an error here, says when they do not.
function(kwb_precompile_test target)
    if(NOT KWB_PCH)
        return()
    endif()
    set(widgets OFF)
    foreach(library IN LISTS ARGN)
        if(library MATCHES "^(kwb_ui|Qt6::Widgets|Qt6::Gui)$")
            set(widgets ON)
        endif()
    endforeach()
    set(qt Qt6::Core Qt6::Network Qt6::Test)
    set(headers ${KWB_PCH_CORE_HEADERS} ${KWB_PCH_TEST_HEADERS})
    set(kind headless)
    if(widgets)
        list(APPEND qt Qt6::Gui Qt6::Widgets)
        list(APPEND headers ${KWB_PCH_WIDGET_HEADERS})
        set(kind widgets)
    endif()
    get_filename_component(folder "${CMAKE_CURRENT_SOURCE_DIR}" NAME)
    set(holder kwb_pch_${folder}_${kind})
    if(NOT TARGET ${holder})
        set(anchor ${CMAKE_CURRENT_BINARY_DIR}/${holder}.cpp)
        if(NOT EXISTS ${anchor})
            file(WRITE ${anchor} "// Compiled only to build the precompiled headers of ${folder}'s ${kind} tests.\n")
        endif()
        add_library(${holder} STATIC ${anchor})
        set_target_properties(${holder} PROPERTIES AUTOMOC OFF AUTORCC OFF)
        target_link_libraries(${holder} PRIVATE kwb_warnings ${qt})
        target_precompile_headers(${holder} PRIVATE ${headers})
    endif()
    target_link_libraries(${target} PRIVATE ${qt})
    target_precompile_headers(${target} REUSE_FROM ${holder})
    # A test's moc output comes in through its own source ("tst_x.moc"), which leaves the
    # generated mocs_compilation.cpp empty: loading the headers there would cost more than it saves.
    set_source_files_properties(${CMAKE_CURRENT_BINARY_DIR}/${target}_autogen/mocs_compilation.cpp
        PROPERTIES SKIP_PRECOMPILE_HEADERS ON)
endfunction()
