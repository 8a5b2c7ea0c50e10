# A script that ends with `return -code error` at top level.
package require mime
puts "before"
return -code error -errorcode {MYAPP QUIT} "stopping here"
puts "never"
