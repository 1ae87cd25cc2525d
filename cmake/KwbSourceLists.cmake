# kwb_check_source_list(TARGET DIR [EXCLUDE SUBDIR]): fails the configure step when a .cpp or .h
# under DIR is in no source list of TARGET, so a new file cannot be left out of the build
# silently (the lists in core/, core/sandbox/ and ui/ are written out by hand, not globbed).
function(kwb_check_source_list target dir)
    cmake_parse_arguments(ARG "" "EXCLUDE;RECURSE" "" ${ARGN})
    if(ARG_RECURSE STREQUAL "NO")
        file(GLOB found RELATIVE ${dir} ${dir}/*.cpp ${dir}/*.h)
    else()
        file(GLOB_RECURSE found RELATIVE ${dir} ${dir}/*.cpp ${dir}/*.h)
    endif()
    get_target_property(listed ${target} SOURCES)
    foreach(file IN LISTS found)
        if(ARG_EXCLUDE AND file MATCHES "^${ARG_EXCLUDE}/")
            continue()
        endif()
        if(NOT file IN_LIST listed)
            file(RELATIVE_PATH shown ${PROJECT_SOURCE_DIR} ${dir}/${file})
            message(FATAL_ERROR "${shown} is in no source list of ${target}: add it to the list in "
                                "${dir}/CMakeLists.txt")
        endif()
    endforeach()
endfunction()
