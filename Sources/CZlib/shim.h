// zlib's inflate, for reading gzip-compressed CSV files (ChurnML's Gzip).
#include <zlib.h>
