# CPACK_PRE_BUILD_SCRIPTS (Linux): runs once per generator on the staging tree, after CPack has
# installed (and, with CPACK_STRIP_FILES, stripped) the files and before it builds the package.
#  - Removes the .comment and .note sections that plain `strip` keeps (as dh_strip does).
#  - .deb only: drops usr/share/doc/redwire/LICENSE, whose text the Debian copyright file next to
#    it carries (lintian: extra-license-file). The .rpm and .tar.gz keep LICENSE.
set(_root "${CPACK_TEMPORARY_INSTALL_DIRECTORY}${CPACK_PACKAGING_INSTALL_PREFIX}")

find_program(_strip NAMES strip)
if(_strip)
    foreach(_exe redwire redwire-monitor)
        if(EXISTS "${_root}/bin/${_exe}")
            execute_process(COMMAND "${_strip}" --remove-section=.comment --remove-section=.note
                                    "${_root}/bin/${_exe}"
                            RESULT_VARIABLE _rc)
            if(NOT _rc EQUAL 0)
                message(FATAL_ERROR "cpack-pre-build: strip failed on ${_exe}")
            endif()
        endif()
    endforeach()
endif()

if(CPACK_GENERATOR STREQUAL "DEB")
    file(REMOVE "${_root}/share/doc/redwire/LICENSE")
endif()
