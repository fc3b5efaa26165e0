# Unity builds: with -DCMAKE_UNITY_BUILD=ON (what .ci/test-all configures) CMake compiles each
# target's sources in batches of eight, as one translation unit per batch, so that Qt's headers are
# parsed once per batch instead of once per file (src/ compiles in about half the time).
#
# In a batch, names at file scope must be unique across the files: two `namespace { qint64 now() }`
# collide. Most of src/ is written that way; the exception is the file-local `tr()` helper that
# gives free functions their translation context ("QString tr(const char *text)" at the start of a
# line). redwire_unity_build_exclusions(TARGET...) compiles the files that define one on their own.
# A non-unity build (the presets, a plain `cmake -B build`) is unaffected.
function(redwire_unity_build_exclusions)
    if(NOT CMAKE_UNITY_BUILD)
        return()
    endif()
    foreach(target IN LISTS ARGN)
        get_target_property(source_dir ${target} SOURCE_DIR)
        get_target_property(sources ${target} SOURCES)
        foreach(source IN LISTS sources)
            if(NOT source MATCHES "\\.cpp$")
                continue()
            endif()
            if(NOT IS_ABSOLUTE "${source}")
                set(source "${source_dir}/${source}")
            endif()
            if(NOT EXISTS "${source}")
                continue() # generated
            endif()
            file(STRINGS "${source}" local_tr REGEX "^(static |inline )?QString tr\\(")
            if(local_tr)
                set_source_files_properties("${source}" DIRECTORY "${source_dir}"
                    PROPERTIES SKIP_UNITY_BUILD_INCLUSION ON)
            endif()
        endforeach()
    endforeach()
endfunction()
