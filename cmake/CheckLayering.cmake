cmake_minimum_required(VERSION 3.25)
# Fails when a source file includes a layer above its own. Run with
#   cmake -DSOURCE_DIR=<dir holding redis/, chat/, ...> [-DSTAMP=<file to touch>] -P CheckLayering.cmake
# The layers (docs/ARCHITECTURE.md): palette, redis -> chat, monitor, desktop -> models -> app. A file may
# include its own folder and the folders listed for it; "#include \"<folder>/...\"" is what is read.
if(NOT SOURCE_DIR)
    message(FATAL_ERROR "CheckLayering: SOURCE_DIR is not set")
endif()

set(allowed_palette palette)
set(allowed_redis   redis private)
set(allowed_chat    chat redis)
set(allowed_monitor monitor redis palette)
set(allowed_desktop desktop redis)
set(allowed_models  models chat monitor desktop redis palette)
set(allowed_app     app models chat monitor desktop redis palette)

set(violations "")
foreach(layer palette redis chat monitor desktop models app)
    file(GLOB_RECURSE files "${SOURCE_DIR}/${layer}/*.h" "${SOURCE_DIR}/${layer}/*.cpp")
    foreach(file IN LISTS files)
        file(STRINGS "${file}" includes REGEX "^[ \t]*#[ \t]*include[ \t]+\"[A-Za-z_]+/")
        foreach(line IN LISTS includes)
            string(REGEX REPLACE "^[ \t]*#[ \t]*include[ \t]+\"([A-Za-z_]+)/.*$" "\\1" folder "${line}")
            if(NOT folder IN_LIST allowed_${layer})
                file(RELATIVE_PATH shown "${SOURCE_DIR}" "${file}")
                string(APPEND violations "  ${shown}: ${line} (the ${layer} layer may include: ${allowed_${layer}})\n")
            endif()
        endforeach()
    endforeach()
endforeach()

if(violations)
    message(FATAL_ERROR "Layering broken: a file includes a layer above its own.\n${violations}")
endif()
if(STAMP)
    file(TOUCH "${STAMP}")
endif()
