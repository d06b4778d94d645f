"""Turn a syntax tree into the object model, recording where each part was written.

The compiler reports only what the model cannot hold: a setting given twice, a second
scoring or grade rule, points on a veto, a year or a number of decimal places that is
not a whole number. It keeps the first of what was repeated and goes on, so the model
it returns can still be validated and every problem of a file is reported at once; and
for each repeat it also builds the object as it would be with the repeat in place of the
first (``Compiled.repeats``), so that what is wrong inside a repeat is reported too.
``rubricdsl.analysis`` judges everything else.
"""

from .compiler import Compiled, Repeat, compile_tree

__all__ = ["Compiled", "Repeat", "compile_tree"]
