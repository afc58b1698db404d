# gdb support for cawait programs.
#
#     (gdb) source PREFIX/share/cawait/gdb/cawait.py
#     (gdb) cawait-frames              the async frames of the current task
#     (gdb) cawait-frames EXPR         from a ca_frame * (or a NAME__ca_frame *),
#                                      or from a ca_task * (where it waits)
#     (gdb) cawait-frames -a ...       also the tool's own fields (ca__tmp1, ca__ret...)
#
# An async function NAME becomes NAME__ca_resume, whose frame is a
# `struct NAME__ca_frame` beginning with the ca_frame header `hdr`
# (resume, parent; runtime/include/cawait/abi.h) and the resume point
# `unsigned ca__state`. The chain of
# awaiting frames of a task is the `parent` links from the innermost frame up
# to the task's root, which is the task's own address (ca__task_root). When a
# task is suspended, its innermost frame is ca_task.wait_fr
# (runtime/include/cawait/abi.h); while it runs, it is the innermost NAME__ca_resume
# on the C stack.
#
# Each frame is printed innermost first, with its function (from `resume`),
# where it is (the running line, or the line of the await it is suspended
# in), and its locals: the fields of the frame struct, which hold the
# parameters and every local that lives across an await. The running
# function keeps some scalar fields in locals `ca__l_NAME` between
# suspensions (docs/design.md): for it, those are read instead.

import gdb

RESUME_SUFFIX = "__ca_resume"
FRAME_SUFFIX = "__ca_frame"
CACHED_PREFIX = "ca__l_"
MAX_FRAMES = 100000


def _ca_frame_ptr():
    return gdb.lookup_type("struct ca_frame").pointer()


def _function_at(addr):
    """(name, block of the function) for a code address, or (None, None)."""
    try:
        block = gdb.block_for_pc(addr)
    except RuntimeError:
        block = None
    while block is not None and block.function is None:
        block = block.superblock
    if block is not None:
        return block.function.name, block
    # No debug info: the ELF symbol.
    try:
        out = gdb.execute("info symbol 0x%x" % addr, to_string=True)
    except gdb.error:
        return None, None
    if out.startswith("No symbol"):
        return None, None
    return out.split()[0], None


def _frame_struct_type(name, block):
    """The `struct NAME__ca_frame` that the resume function uses."""
    if block is not None:
        for sym in block:
            if sym.name == "ca__f" and sym.type.code == gdb.TYPE_CODE_PTR:
                return sym.type.target()
    try:
        return gdb.lookup_type("struct " + name + FRAME_SUFFIX)
    except gdb.error:
        return None


def _label_line(block, state):
    """'file:line' of the resume label ca__sSTATE: the await the frame waits in."""
    if block is None or state == 0:
        return None
    sym = gdb.lookup_symbol("ca__s%d" % state, block, gdb.SYMBOL_LABEL_DOMAIN)[0]
    if sym is None:
        for s in block:
            if s.name == "ca__s%d" % state:
                sym = s
                break
    if sym is None:
        return None
    if sym.line > 0 and sym.symtab is not None:  # where the label is written: the await's line
        return "%s:%d" % (sym.symtab.filename, sym.line)
    try:
        addr = int(sym.value().address) if sym.value().address is not None else int(sym.value())
    except (gdb.error, TypeError, ValueError):
        try:
            addr = int(str(sym.value()).split()[0], 16)
        except (gdb.error, ValueError):
            return None
    sal = gdb.find_pc_line(addr)
    if sal.symtab is None:
        return None
    return "%s:%d" % (sal.symtab.filename, sal.line)


def _state_of(fr):
    """A frame's resume point: the unsigned right after the header (abi.h's convention)."""
    after = fr.cast(gdb.lookup_type("char").pointer()) + _ca_frame_ptr().target().sizeof
    return int(after.cast(gdb.lookup_type("unsigned int").pointer()).dereference())


def _innermost_running():
    """The ca_frame * of the innermost async function on the C stack, or None."""
    f = gdb.selected_frame()
    while f is not None:
        name = f.name() or ""
        if name.endswith(RESUME_SUFFIX):
            try:
                return f.read_var("ca__fr").cast(_ca_frame_ptr()), f, int(f.read_var("ca__t"))
            except (ValueError, gdb.error):
                pass
        f = f.older()
    return None, None, None


def _current_task():
    try:
        loop = gdb.parse_and_eval("ca__cur_loop")
        if int(loop) == 0:
            return None
        task = loop["current"]
        return task if int(task) != 0 else None
    except gdb.error:
        return None


def _start(expr):
    """(first frame, gdb frame it runs in or None, task address or None)."""
    if expr:
        v = gdb.parse_and_eval(expr)
        t = v.type.strip_typedefs()
        if t.code == gdb.TYPE_CODE_PTR and int(v) == 0:
            raise gdb.GdbError("cawait-frames: %s is NULL" % expr)
        if t.code == gdb.TYPE_CODE_PTR:
            target = t.target().strip_typedefs()
            if target.tag == "ca_task":
                return v["wait_fr"].cast(_ca_frame_ptr()), None, int(v)
            return v.cast(_ca_frame_ptr()), None, None
        return v.cast(_ca_frame_ptr()), None, None
    if not gdb.selected_inferior().pid:
        raise gdb.GdbError("cawait-frames: the program is not running")
    fr, gframe, task = _innermost_running()
    if fr is not None:
        return fr, gframe, task
    task = _current_task()
    if task is not None:
        return task["wait_fr"].cast(_ca_frame_ptr()), None, int(task)
    raise gdb.GdbError("cawait-frames: no async function on the stack and no current task; "
                       "give a ca_frame * or ca_task * expression")


def _running_value(gframe, name):
    """A field the tool keeps in a local of the running resume function (ca__l_NAME), or None."""
    if gframe is None:
        return None
    try:
        return gframe.read_var(CACHED_PREFIX + name)
    except (ValueError, gdb.error):
        return None


def _print_fields(value, show_all, indent, gframe=None):
    """The frame's fields; for the running function, the locals that hold some of them between suspensions."""
    for field in value.type.strip_typedefs().fields():
        if field.name is None or field.name == "hdr":
            continue
        if not show_all and field.name.startswith("ca__"):
            continue
        try:
            local = _running_value(gframe, field.name)
            text = str(local if local is not None else value[field.name])
        except gdb.error as e:
            text = "<%s>" % e
        gdb.write("%s%s = %s\n" % (indent, field.name, text.replace("\n", "\n" + indent)))


class CawaitFrames(gdb.Command):
    """Print the chain of awaiting async frames, innermost first, with their locals.

Usage: cawait-frames [-a] [EXPR]
  EXPR  a ca_frame * (or struct NAME__ca_frame *), or a ca_task * (its frames
        from where it waits). Default: the innermost async function on the
        C stack, else the current task of this thread's loop.
  -a    also print the fields the tool adds (ca__ret, ca__tmp1, ...)."""

    def __init__(self):
        super(CawaitFrames, self).__init__("cawait-frames", gdb.COMMAND_STACK, gdb.COMPLETE_EXPRESSION)

    def invoke(self, arg, from_tty):
        words = arg.split(None, 1) if arg else []
        show_all = False
        if words and words[0] == "-a":
            show_all = True
            words = words[1:]
        expr = " ".join(words).strip()
        fr, gframe, task = _start(expr)
        n = 0
        while int(fr) != 0 and n < MAX_FRAMES:
            hdr = fr.dereference()
            resume = int(hdr["resume"])
            name, block = _function_at(resume)
            if name is None:
                if task is None and n > 0:
                    break  # a task's root (its first word is no code address): the chain ends
                name = "?? (resume 0x%x)" % resume
            state = _state_of(fr)
            if name.endswith(RESUME_SUFFIX):
                user = name[: -len(RESUME_SUFFIX)]
                where = None
                if n == 0 and gframe is not None:
                    sal = gframe.find_sal()
                    if sal.symtab is not None:
                        where = "running at %s:%d" % (sal.symtab.filename, sal.line)
                if where is None:
                    line = _label_line(block, state)
                    where = ("awaiting at %s" % line) if line else ("state %d" % state)
                stype = _frame_struct_type(user, block)
                gdb.write("#%-2d %s (frame 0x%x) %s\n" % (n, user, int(fr), where))
                if stype is not None:
                    _print_fields(fr.cast(stype.pointer()).dereference(), show_all, "      ", gframe)
            elif name.startswith("ca__thunk"):
                gdb.write("#%-2d [task entry: ca_run/ca_spawn] (frame 0x%x)\n" % (n, int(fr)))
            else:
                # A runtime primitive's own frame (sleep, I/O, join...).
                gdb.write("#%-2d [runtime] %s (frame 0x%x)\n" % (n, name, int(fr)))
            n += 1
            parent = hdr["parent"]
            if int(parent) == 0 or (task is not None and int(parent) == task):
                break  # the task's root: ca__task_root(t) is t itself
            fr = parent
            gframe = None
        if n == 0:
            gdb.write("no async frames\n")


CawaitFrames()
