# -*- Python -*-  lit configuration for cawait. The generated lit.site.cfg.py
# (from lit.site.cfg.py.in, by CMake) sets the paths and then loads this file.
import os
import lit.formats

config.name = 'cawait'
config.test_format = lit.formats.ShTest(execute_external=True)
config.suffixes = ['.c']
config.excludes = ['Inputs', 'unit', 'random', 'integration', 'torture', 'context']

config.environment['PATH'] = os.pathsep.join(
    [config.llvm_tools_dir, config.environment.get('PATH', '')])

config.substitutions.append(('%cawait-wrap', config.cawait_wrap))
config.substitutions.append(('%cawait', config.cawait))
config.substitutions.append(('%cc', config.c_compiler +
                             ' -std=gnu11 -Wall -Werror -g -I' + config.runtime_include))
import shutil
config.substitutions.append(('%clang', shutil.which('clang-19') or shutil.which('clang') or 'clang'))
config.substitutions.append(('%asan', '-fsanitize=address,undefined -fno-sanitize-recover=all'))
config.substitutions.append(('%syncref', os.path.join(config.test_source_root, 'Inputs', 'sync_ref.c')))
config.substitutions.append(('%libcawait', config.cawait_rtlib + ' -pthread'))
# Blank out lit/FileCheck directives but keep line numbering, so the tool's
# output cannot match its own CHECK lines and #line numbers stay true.
config.substitutions.append(('%strip-checks', "sed -E 's#// *[A-Z-]+:.*##'"))

# cawait-wrap's libuv test needs libuv's header (libuv1-dev).
_uv_h = '/usr/include/uv.h'
if os.path.exists(_uv_h):
    config.available_features.add('libuv')
config.substitutions.append(('%uv_h', _uv_h))
