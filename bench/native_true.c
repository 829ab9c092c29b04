/* A static Linux program that exits at once: the start-up reference for a trivial Mach-O under macrun. */
int main(void) { return 0; }
