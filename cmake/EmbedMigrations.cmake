# Turns migrations/<dialect>/NNNN_name.sql into a generated .cc holding each file
# as a string, so the binary carries its schema with it.
function(carecity_embed_migrations out_var)
  set(out ${CMAKE_CURRENT_BINARY_DIR}/migrations_embedded.cc)
  file(GLOB sqlite_files CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/migrations/sqlite/*.sql)
  file(GLOB pg_files CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/migrations/postgres/*.sql)
  add_custom_command(
    OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DOUT=${out} -DSRC=${PROJECT_SOURCE_DIR}/migrations
            -P ${PROJECT_SOURCE_DIR}/cmake/GenerateMigrations.cmake
    DEPENDS ${sqlite_files} ${pg_files} ${PROJECT_SOURCE_DIR}/cmake/GenerateMigrations.cmake
    COMMENT "Embedding SQL migrations")
  set(${out_var} ${out} PARENT_SCOPE)
endfunction()
