# edgarix_set_warnings(target): our warning set, per target (never global flags).
function(edgarix_set_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wno-missing-field-initializers)
  if(EDGARIX_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
