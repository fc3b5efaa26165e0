# Finds hiredis (and hiredis_ssl) and defines:
#   Redwire::hiredis         imported target; its include directory makes <hiredis/hiredis.h> and
#                            <hiredis/async.h> resolve to the same hiredis as the library
#   Redwire::hiredis_ssl     when hiredis >= 1.0 with hiredis_ssl is found (links Redwire::hiredis,
#                            and OpenSSL::SSL/Crypto when OpenSSL's development files are found)
#   REDWIRE_HIREDIS_VERSION  e.g. 0.14.1 or 1.2.0 (always read from the headers)
#   REDWIRE_HAVE_TLS         ON when Redwire::hiredis_ssl exists
#
# Choose the hiredis with -DCMAKE_PREFIX_PATH=<prefix> (e.g. <repo>/.deps/hiredis-1.2/usr made by
# .ci/fetch-hiredis-1x): a hiredis inside CMAKE_PREFIX_PATH wins over the system's.
#
# Tried in this order:
#   1. upstream hiredis's CMake package: find_package(hiredis CONFIG) -> hiredis::hiredis, and
#      find_package(hiredis_ssl CONFIG) -> hiredis::hiredis_ssl (vcpkg, Homebrew, source installs).
#      Ignored when CMAKE_PREFIX_PATH holds a different hiredis without such a package.
#   2. pkg-config (hiredis.pc), used only as hints, then find_path()/find_library(). The .pc files
#      Debian ships (12 and 13) say libdir=/usr/lib while the library lives in /usr/lib/<multiarch>,
#      and an unpacked .deb keeps prefix=/usr, so their paths are never trusted. The library is
#      searched in the prefix that holds the headers, never elsewhere.
#   Debian's own HiredisConfig.cmake (find_path/find_library only; its version file errors out
#   when no version is requested) is deliberately skipped: step 2 does the same and more.
#
# Override: -DREDWIRE_HIREDIS_INCLUDE_DIR=... -DREDWIRE_HIREDIS_LIBRARY=...
#           [-DREDWIRE_HIREDIS_SSL_LIBRARY=...]  (step 2 then uses them as is).

include_guard(GLOBAL)

# A changed CMAKE_PREFIX_PATH in an existing build tree means "look again".
if(DEFINED _REDWIRE_HIREDIS_SEARCHED_PREFIX
   AND NOT "${CMAKE_PREFIX_PATH}" STREQUAL "${_REDWIRE_HIREDIS_SEARCHED_PREFIX}")
    message(STATUS "hiredis: CMAKE_PREFIX_PATH changed, searching hiredis again")
    foreach(_v REDWIRE_HIREDIS_INCLUDE_DIR REDWIRE_HIREDIS_LIBRARY REDWIRE_HIREDIS_SSL_LIBRARY
               hiredis_DIR hiredis_ssl_DIR _REDWIRE_HIREDIS_CHECKED
               __pkg_config_checked__REDWIRE_PC_HIREDIS)
        unset(${_v} CACHE)
    endforeach()
endif()
set(_REDWIRE_HIREDIS_SEARCHED_PREFIX "${CMAKE_PREFIX_PATH}" CACHE INTERNAL "")

# Reads HIREDIS_MAJOR/MINOR/PATCH/SONAME from <incdir>/hiredis/hiredis.h.
function(_redwire_hiredis_header_version incdir out_version out_soname)
    file(STRINGS "${incdir}/hiredis/hiredis.h" _defs
         REGEX "^#define[ \t]+HIREDIS_(MAJOR|MINOR|PATCH|SONAME)[ \t]+")
    foreach(_part MAJOR MINOR PATCH SONAME)
        set(_${_part} "")
        foreach(_line IN LISTS _defs)
            if(_line MATCHES "^#define[ \t]+HIREDIS_${_part}[ \t]+([^ \t]+)")
                set(_${_part} "${CMAKE_MATCH_1}")
            endif()
        endforeach()
    endforeach()
    if(_MAJOR STREQUAL "" OR _MINOR STREQUAL "" OR _PATCH STREQUAL "")
        message(FATAL_ERROR "hiredis: cannot read HIREDIS_MAJOR/MINOR/PATCH from "
                            "${incdir}/hiredis/hiredis.h")
    endif()
    set(${out_version} "${_MAJOR}.${_MINOR}.${_PATCH}" PARENT_SCOPE)
    set(${out_soname} "${_SONAME}" PARENT_SCOPE)
endfunction()

# Directory that holds hiredis/hiredis.h for an imported target from a CMake package.
function(_redwire_hiredis_target_incdir tgt pkg_dir out)
    get_target_property(_dirs ${tgt} INTERFACE_INCLUDE_DIRECTORIES)
    set(_candidates "")
    if(_dirs)
        foreach(_d IN LISTS _dirs)
            if(NOT _d MATCHES "\\$<")
                list(APPEND _candidates "${_d}" "${_d}/include" "${_d}/..")
            endif()
        endforeach()
    endif()
    # share/hiredis/ or lib/cmake/hiredis/ -> <prefix>/include
    list(APPEND _candidates "${pkg_dir}/../../include" "${pkg_dir}/../../../include")
    foreach(_c IN LISTS _candidates)
        if(EXISTS "${_c}/hiredis/hiredis.h")
            get_filename_component(_c "${_c}" REALPATH)
            set(${out} "${_c}" PARENT_SCOPE)
            return()
        endif()
    endforeach()
    set(${out} "" PARENT_SCOPE)
endfunction()

set(_redwire_hiredis_method "")
set(_pc_version "")
set(_redwire_hiredis_incdir "")
set(_redwire_hiredis_lib "")
set(_redwire_hiredis_ssl_lib "")
set(_redwire_hiredis_ssl_target "")

# --- 1. upstream CMake package ------------------------------------------------------------------
if(NOT REDWIRE_HIREDIS_INCLUDE_DIR AND NOT REDWIRE_HIREDIS_LIBRARY)
    find_package(hiredis CONFIG QUIET)
endif()
if(hiredis_FOUND)
    set(_cfg_target "")
    foreach(_t hiredis::hiredis hiredis::hiredis_static)
        if(TARGET ${_t})
            set(_cfg_target ${_t})
            break()
        endif()
    endforeach()
    if(_cfg_target)
        _redwire_hiredis_target_incdir(${_cfg_target} "${hiredis_DIR}" _cfg_incdir)
    endif()
    if(NOT _cfg_target OR NOT _cfg_incdir)
        message(STATUS "hiredis: ignoring CMake package in ${hiredis_DIR} (no usable target/headers)")
    else()
        # A hiredis in CMAKE_PREFIX_PATH without a CMake package must still win over a package
        # found elsewhere (e.g. /usr/local).
        # (Compares the headers' real paths: Homebrew links prefix/include/hiredis into its Cellar.)
        set(_prefix_incdir "")
        set(_prefix_header "")
        if(CMAKE_PREFIX_PATH)
            find_path(_REDWIRE_HIREDIS_PREFIX_INC hiredis/hiredis.h
                      PATHS ${CMAKE_PREFIX_PATH} PATH_SUFFIXES include NO_DEFAULT_PATH)
            if(_REDWIRE_HIREDIS_PREFIX_INC)
                set(_prefix_incdir "${_REDWIRE_HIREDIS_PREFIX_INC}")
                get_filename_component(_prefix_header "${_prefix_incdir}/hiredis/hiredis.h" REALPATH)
            endif()
            unset(_REDWIRE_HIREDIS_PREFIX_INC CACHE)
        endif()
        get_filename_component(_cfg_header "${_cfg_incdir}/hiredis/hiredis.h" REALPATH)
        if(_prefix_header AND NOT _prefix_header STREQUAL _cfg_header)
            message(STATUS "hiredis: ignoring CMake package in ${hiredis_DIR}: "
                           "CMAKE_PREFIX_PATH holds another hiredis (${_prefix_incdir})")
        else()
            set(_redwire_hiredis_method "CMake package (${hiredis_DIR})")
            set(_redwire_hiredis_incdir "${_cfg_incdir}")
            get_target_property(_redwire_hiredis_lib ${_cfg_target} LOCATION)
            add_library(Redwire::hiredis INTERFACE IMPORTED)
            set_target_properties(Redwire::hiredis PROPERTIES
                INTERFACE_LINK_LIBRARIES "${_cfg_target}"
                INTERFACE_INCLUDE_DIRECTORIES "${_redwire_hiredis_incdir}")

            find_package(hiredis_ssl CONFIG QUIET HINTS "${hiredis_DIR}/.." "${hiredis_DIR}")
            foreach(_t hiredis::hiredis_ssl hiredis_ssl::hiredis_ssl hiredis::hiredis_ssl_static)
                if(TARGET ${_t})
                    set(_redwire_hiredis_ssl_target ${_t})
                    break()
                endif()
            endforeach()
            if(_redwire_hiredis_ssl_target
               AND EXISTS "${_redwire_hiredis_incdir}/hiredis/hiredis_ssl.h")
                get_target_property(_redwire_hiredis_ssl_lib ${_redwire_hiredis_ssl_target} LOCATION)
            else()
                set(_redwire_hiredis_ssl_target "")
            endif()
        endif()
    endif()
endif()

# --- 2. pkg-config hints + find_path/find_library ------------------------------------------------
if(NOT _redwire_hiredis_method)
    set(_inc_hints "")
    set(_pc_version "")
    find_package(PkgConfig QUIET)
    if(PKG_CONFIG_FOUND)
        pkg_check_modules(_REDWIRE_PC_HIREDIS QUIET hiredis)
        if(_REDWIRE_PC_HIREDIS_FOUND)
            set(_pc_version "${_REDWIRE_PC_HIREDIS_VERSION}")
            # Debian's includedir is .../include/hiredis (0.14) or .../include (1.2).
            foreach(_d IN LISTS _REDWIRE_PC_HIREDIS_INCLUDEDIR _REDWIRE_PC_HIREDIS_INCLUDE_DIRS)
                list(APPEND _inc_hints "${_d}" "${_d}/..")
            endforeach()
        endif()
    endif()

    # CMAKE_PREFIX_PATH is searched before these hints, so a prefix wins over the system.
    find_path(REDWIRE_HIREDIS_INCLUDE_DIR NAMES hiredis/hiredis.h HINTS ${_inc_hints}
              DOC "Directory containing hiredis/hiredis.h")
    if(NOT REDWIRE_HIREDIS_INCLUDE_DIR)
        message(FATAL_ERROR
            "hiredis not found. Install libhiredis-dev (Debian/Ubuntu), hiredis (Homebrew, vcpkg), "
            "or pass -DCMAKE_PREFIX_PATH=<prefix> (see .ci/fetch-hiredis-1x).")
    endif()

    # The library must come from the prefix that holds the headers, never from elsewhere.
    get_filename_component(_hiredis_prefix "${REDWIRE_HIREDIS_INCLUDE_DIR}/.." ABSOLUTE)
    set(_lib_dirs "")
    if(CMAKE_LIBRARY_ARCHITECTURE)
        list(APPEND _lib_dirs "${_hiredis_prefix}/lib/${CMAKE_LIBRARY_ARCHITECTURE}")
    endif()
    list(APPEND _lib_dirs "${_hiredis_prefix}/lib64" "${_hiredis_prefix}/lib")
    find_library(REDWIRE_HIREDIS_LIBRARY NAMES hiredis hiredisd PATHS ${_lib_dirs}
                 NO_DEFAULT_PATH NO_CMAKE_FIND_ROOT_PATH DOC "The hiredis library")
    if(NOT REDWIRE_HIREDIS_LIBRARY)
        string(REPLACE ";" ", " _lib_dirs_msg "${_lib_dirs}")
        message(FATAL_ERROR
            "hiredis: headers found in ${REDWIRE_HIREDIS_INCLUDE_DIR} but no libhiredis in "
            "${_lib_dirs_msg}. Refusing to mix headers and a library from different installations; "
            "set REDWIRE_HIREDIS_LIBRARY explicitly if you really mean it.")
    endif()
    find_library(REDWIRE_HIREDIS_SSL_LIBRARY NAMES hiredis_ssl hiredis_ssld PATHS ${_lib_dirs}
                 NO_DEFAULT_PATH NO_CMAKE_FIND_ROOT_PATH DOC "The hiredis_ssl library")
    mark_as_advanced(REDWIRE_HIREDIS_INCLUDE_DIR REDWIRE_HIREDIS_LIBRARY REDWIRE_HIREDIS_SSL_LIBRARY)

    if(_pc_version)
        set(_redwire_hiredis_method "pkg-config hints + find_path/find_library")
    else()
        set(_redwire_hiredis_method "find_path/find_library")
    endif()
    get_filename_component(_redwire_hiredis_incdir "${REDWIRE_HIREDIS_INCLUDE_DIR}" REALPATH)
    set(_redwire_hiredis_lib "${REDWIRE_HIREDIS_LIBRARY}")
    add_library(Redwire::hiredis UNKNOWN IMPORTED)
    set_target_properties(Redwire::hiredis PROPERTIES
        IMPORTED_LOCATION "${REDWIRE_HIREDIS_LIBRARY}"
        INTERFACE_INCLUDE_DIRECTORIES "${_redwire_hiredis_incdir}")
    if(WIN32)
        set_property(TARGET Redwire::hiredis APPEND PROPERTY INTERFACE_LINK_LIBRARIES ws2_32 crypt32)
    endif()
    if(REDWIRE_HIREDIS_SSL_LIBRARY AND EXISTS "${_redwire_hiredis_incdir}/hiredis/hiredis_ssl.h")
        set(_redwire_hiredis_ssl_lib "${REDWIRE_HIREDIS_SSL_LIBRARY}")
    endif()
endif()

# --- version, consistency checks, TLS target -------------------------------------------------------
_redwire_hiredis_header_version("${_redwire_hiredis_incdir}" REDWIRE_HIREDIS_VERSION _hiredis_soname)
if(_pc_version AND NOT _pc_version STREQUAL REDWIRE_HIREDIS_VERSION)
    message(STATUS "hiredis: pkg-config reports ${_pc_version} but the headers found are "
                   "${REDWIRE_HIREDIS_VERSION}; using the headers (and the library next to them)")
endif()

# The shared library's file name carries HIREDIS_SONAME (libhiredis.so.0.14, libhiredis.so.1.1.0).
get_filename_component(_real_lib "${_redwire_hiredis_lib}" REALPATH)
get_filename_component(_real_lib_name "${_real_lib}" NAME)
if(_hiredis_soname AND _real_lib_name MATCHES "\\.so\\.([0-9.]+)$"
   AND NOT CMAKE_MATCH_1 STREQUAL _hiredis_soname)
    message(FATAL_ERROR "hiredis: headers in ${_redwire_hiredis_incdir} are ${REDWIRE_HIREDIS_VERSION} "
                        "(soname ${_hiredis_soname}) but the library is ${_real_lib}")
endif()

if(REDWIRE_HIREDIS_VERSION VERSION_GREATER_EQUAL 1.0
   AND (_redwire_hiredis_ssl_target OR _redwire_hiredis_ssl_lib))
    if(_redwire_hiredis_ssl_target)
        add_library(Redwire::hiredis_ssl INTERFACE IMPORTED)
        set_target_properties(Redwire::hiredis_ssl PROPERTIES
            INTERFACE_LINK_LIBRARIES "${_redwire_hiredis_ssl_target};Redwire::hiredis")
    else()
        add_library(Redwire::hiredis_ssl UNKNOWN IMPORTED)
        # libhiredis_ssl.so does not record its dependency on libhiredis: link both, ssl first.
        set_target_properties(Redwire::hiredis_ssl PROPERTIES
            IMPORTED_LOCATION "${_redwire_hiredis_ssl_lib}"
            INTERFACE_LINK_LIBRARIES Redwire::hiredis)
    endif()
    # A static libhiredis_ssl needs OpenSSL on the link line (a shared one records libssl itself).
    # Linked in any case when available, so that code using Redwire::hiredis_ssl can also call
    # OpenSSL directly: redisInitiateSSL() takes an SSL*, and hiredis's own helpers only set SNI
    # (redisSSLOptions.server_name), they never check the certificate's host name.
    if(_redwire_hiredis_ssl_lib MATCHES "\\.(a|lib)$")
        find_package(OpenSSL REQUIRED)
    else()
        find_package(OpenSSL QUIET)
    endif()
    if(TARGET OpenSSL::SSL)
        set_property(TARGET Redwire::hiredis_ssl APPEND PROPERTY
            INTERFACE_LINK_LIBRARIES OpenSSL::SSL OpenSSL::Crypto)
    endif()
    set(REDWIRE_HAVE_TLS ON)
else()
    set(_redwire_hiredis_ssl_lib "")
    set(REDWIRE_HAVE_TLS OFF)
endif()

# Prove that <hiredis/hiredis.h> seen through Redwire::hiredis is the version we parsed (no other
# hiredis shadows it) and that it links; once per build tree and configuration found.
set(_check_key "${REDWIRE_HIREDIS_VERSION}|${_redwire_hiredis_incdir}|${_redwire_hiredis_lib}|${_redwire_hiredis_ssl_lib}")
if(NOT _REDWIRE_HIREDIS_CHECKED STREQUAL _check_key)
    string(REPLACE "." ";" _v "${REDWIRE_HIREDIS_VERSION}")
    list(GET _v 0 _vmaj)
    list(GET _v 1 _vmin)
    list(GET _v 2 _vpat)
    set(_check_dir "${CMAKE_BINARY_DIR}/CMakeFiles/RedwireHiredisCheck")
    set(_ssl_code "")
    set(_check_libs Redwire::hiredis)
    if(REDWIRE_HAVE_TLS)
        set(_ssl_code "#include <hiredis/hiredis_ssl.h>\nstatic int ssl(void) { return redisInitOpenSSL(); }\n")
        set(_check_libs Redwire::hiredis_ssl)
    else()
        set(_ssl_code "static int ssl(void) { return 0; }\n")
    endif()
    file(WRITE "${_check_dir}/check.c"
"#include <hiredis/hiredis.h>
#include <hiredis/async.h>
#if HIREDIS_MAJOR != ${_vmaj} || HIREDIS_MINOR != ${_vmin} || HIREDIS_PATCH != ${_vpat}
#error \"<hiredis/hiredis.h> is not hiredis ${REDWIRE_HIREDIS_VERSION}: another hiredis shadows it\"
#endif
${_ssl_code}
int main(void) {
    redisReader *r = redisReaderCreate();
    redisReaderFree(r);
    return ssl() + (redisAsyncCommandArgv == 0);
}
")
    try_compile(_redwire_hiredis_ok "${_check_dir}/build" "${_check_dir}/check.c"
                LINK_LIBRARIES ${_check_libs}
                OUTPUT_VARIABLE _check_out)
    if(NOT _redwire_hiredis_ok)
        message(FATAL_ERROR "hiredis: a test program using ${_check_libs} (headers "
                            "${_redwire_hiredis_incdir}, library ${_redwire_hiredis_lib}) failed to "
                            "compile or link:\n${_check_out}")
    endif()
    set(_REDWIRE_HIREDIS_CHECKED "${_check_key}" CACHE INTERNAL "")
endif()

if(REDWIRE_HAVE_TLS)
    set(_tls_msg "yes (${_redwire_hiredis_ssl_lib})")
elseif(REDWIRE_HIREDIS_VERSION VERSION_LESS 1.0)
    set(_tls_msg "no (needs hiredis >= 1.0)")
else()
    set(_tls_msg "no (hiredis_ssl not found)")
endif()
message(STATUS "hiredis ${REDWIRE_HIREDIS_VERSION}: library ${_redwire_hiredis_lib}, "
               "include ${_redwire_hiredis_incdir}, TLS: ${_tls_msg} [via ${_redwire_hiredis_method}]")
