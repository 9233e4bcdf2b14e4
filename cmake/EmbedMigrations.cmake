# Turns migrations/NNNN_name.sql into a generated .cc holding each file as a
# string, so the binary carries its schema with it. One file serves both
# dialects; db/migrations.cc expands its few dialect markers.
function(carecity_embed_migrations out_var)
  set(out ${CMAKE_CURRENT_BINARY_DIR}/migrations_embedded.cc)
  file(GLOB sql_files CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/migrations/*.sql)
  add_custom_command(
    OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DOUT=${out} -DSRC=${PROJECT_SOURCE_DIR}/migrations
            -P ${PROJECT_SOURCE_DIR}/cmake/GenerateMigrations.cmake
    DEPENDS ${sql_files} ${PROJECT_SOURCE_DIR}/cmake/GenerateMigrations.cmake
    COMMENT "Embedding SQL migrations")
  set(${out_var} ${out} PARENT_SCOPE)
endfunction()
