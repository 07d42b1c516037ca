// The baseline of every cold-start comparison: a dynamically linked C program that writes one line.
#include <unistd.h>
int main(void) { return write(1, "hello\n", 6) == 6 ? 0 : 1; }
