#!/bin/sh
# rpcgen names the header it includes after the path it was given, so it
# runs on a copy in the output directory: rpcgen.sh MODE(h|c) INPUT.x OUTPUT
set -eu
mode=$1 in=$2 out=$3
dir=$(dirname "$out")
base=$(basename "$in")
cp "$in" "$dir/$base"
cd "$dir"
# rpcgen refuses to replace an output that exists
rm -f "$(basename "$out")"
rpcgen -"$mode" -o "$(basename "$out")" "$base"
