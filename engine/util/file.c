#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "carewatch/file.h"
#include "carewatch/error.h"

static const char *kind_of(mode_t m)
{
	if (S_ISFIFO(m))
		return "a FIFO";
	if (S_ISDIR(m))
		return "a directory";
	if (S_ISCHR(m) || S_ISBLK(m))
		return "a device";
	if (S_ISSOCK(m))
		return "a socket";
	return "not a regular file";
}

FILE *cw_file_open_regular(const char *path, bool nofollow, const char *what)
{
	struct stat sb;
	FILE *f;
	int fd, fl;

	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | (nofollow ? O_NOFOLLOW : 0));
	if (fd < 0) {
		if (nofollow && errno == ELOOP)
			cw_error(CW_EINVALID, "%s: cannot read %s: it is a symbolic link", path, what);
		else
			cw_error(CW_EINVALID, "%s: cannot read %s: %s", path, what, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		cw_error(CW_EINVALID, "%s: cannot read %s: it is %s, not a regular file", path,
			what, kind_of(sb.st_mode));
		close(fd);
		return NULL;
	}
	/* A regular file never blocks; reads go back to the ordinary mode. */
	if ((fl = fcntl(fd, F_GETFL)) == -1 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) == -1 ||
	    !(f = fdopen(fd, "rb"))) {
		cw_error(CW_EINVALID, "%s: cannot read %s: %s", path, what, strerror(errno));
		close(fd);
		return NULL;
	}
	return f;
}

int cw_file_read_capped(FILE *f, size_t max, cw_buf *b)
{
	char chunk[4096];
	size_t got;

	while ((got = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		cw_buf_put(b, chunk, got);
		if (b->len > max)
			return 1;
	}
	return ferror(f) ? -1 : 0;
}
