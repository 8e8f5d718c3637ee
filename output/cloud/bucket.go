// Package cloud is object storage as an output, through gocloud.dev/blob:
// Amazon S3 and every store that speaks its API (MinIO, Cloudflare R2,
// Backblaze B2, Google Cloud Storage's interoperability mode), Google
// Cloud Storage, Azure Blob Storage, a directory (file://) and memory
// (mem://, for tests). Importing it registers those schemes with
// output.Open; cmd/onair imports it only when built with -tags cloud, as
// its drivers (and the gRPC, OpenTelemetry and cloud SDKs they bring)
// would make every other command start slower and heavier.
package cloud

import (
	"context"
	"crypto/md5"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"gocloud.dev/blob"
	_ "gocloud.dev/blob/azureblob" // azblob://container
	_ "gocloud.dev/blob/fileblob"  // file:///dir
	_ "gocloud.dev/blob/gcsblob"   // gs://bucket
	_ "gocloud.dev/blob/memblob"   // mem:// (tests)
	_ "gocloud.dev/blob/s3blob"    // s3://bucket?endpoint=…&region=…&use_path_style=true
	"gocloud.dev/gcerrors"
	"golang.org/x/sync/errgroup"

	"github.com/onair-radio/onair/output"
	"github.com/onair-radio/onair/publish"
)

func init() {
	output.Register(func(ctx context.Context, u string) (output.Output, error) { return Open(ctx, u) }, "s3", "gs", "azblob", "file", "mem")
}

// opTimeout bounds one object's upload or deletion; a recording's
// upload gets mediaTimeout.
const (
	opTimeout    = time.Minute
	mediaTimeout = 30 * time.Minute
)

// Bucket writes sites to object storage, through gocloud.dev/blob: each
// document with its Content-Type and Cache-Control, each recording and
// artwork file the documents link to under media/, streamed from disk.
// Only what changed is uploaded: a document whose MD5 is the object's, or
// a media file whose size is, is left alone, whether the bucket learned it
// from its listing at start or from its own uploads. The order keeps the
// bucket consistent for a reader at every moment: media first (so no feed
// names an enclosure that is not there), then feeds and calendars, then
// pages, schedule.json and the rest, and stale objects are deleted last.
type Bucket struct {
	url    string
	bucket *blob.Bucket

	mu sync.Mutex
	// held is what the bucket holds, by key: its MD5 (documents) and size.
	held map[string]object
	// sent is the body of each document this process uploaded or found
	// unchanged: a publish that reuses a document (the same slice, from
	// publish.Builder) needs no hashing to know it did not change.
	sent map[string][]byte
	// Stats of the last Write, for logs and tests.
	Last WriteStats
}

type object struct {
	md5  []byte
	size int64
}

// WriteStats says what a Write did.
type WriteStats struct {
	Uploaded, Deleted, Unchanged int
	Bytes                        int64 // uploaded
}

// Open opens the bucket at u (a gocloud.dev URL; credentials come
// from each cloud's usual environment) and lists what it holds.
func Open(ctx context.Context, u string) (*Bucket, error) {
	b, err := blob.OpenBucket(ctx, u)
	if err != nil {
		return nil, fmt.Errorf("out %s: %w", redactURL(u), err)
	}
	out := &Bucket{url: redactURL(u), bucket: b}
	if err := out.list(ctx); err != nil {
		b.Close()
		return nil, err
	}
	return out, nil
}

// list learns what the bucket holds.
func (b *Bucket) list(ctx context.Context) error {
	held := make(map[string]object)
	it := b.bucket.List(nil)
	for {
		obj, err := it.Next(ctx)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("out %s: list: %w", b.url, err)
		}
		if !obj.IsDir {
			held[obj.Key] = object{md5: obj.MD5, size: obj.Size}
		}
	}
	b.held, b.sent = held, make(map[string][]byte)
	return nil
}

// LastWrite is what the last Write did.
func (b *Bucket) LastWrite() WriteStats {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.Last
}

// Resync lists the bucket again: another replica may have written it
// since (a new leader calls it), and what it wrote is not uploaded again.
func (b *Bucket) Resync(ctx context.Context) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	ctx, cancel := context.WithTimeout(ctx, 5*opTimeout)
	defer cancel()
	return b.list(ctx)
}

// redactURL is a bucket URL without its query's secrets (and query).
func redactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "(a bucket URL)"
	}
	u.User, u.RawQuery = nil, ""
	return u.String()
}

func (b *Bucket) String() string { return b.url }

func (b *Bucket) Close() error { return b.bucket.Close() }

// stage is the order of a publish: a key's stage.
func stage(key string) int {
	switch {
	case strings.HasPrefix(key, "media/"):
		return 0
	case strings.HasPrefix(key, "feeds/"), strings.HasPrefix(key, "calendar"):
		return 1
	default:
		return 2
	}
}

// Parallel is how many uploads (or deletions) a Write has under way at
// once, within one stage.
const Parallel = 16

// Write uploads what changed of site, in order, then deletes what the
// site no longer has. A failure, or ctx's end, stops it where it is (the
// bucket is consistent: a stage is finished before the next begins; an
// upload cut off writes no object) and is returned, for the caller to
// write again. Within a stage, up to Parallel uploads run at once.
func (b *Bucket) Write(ctx context.Context, site *publish.Site) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	var st WriteStats
	defer func() { b.Last = st }()
	want := make(map[string]bool, len(site.Files)+len(site.Media))
	keys := make([]string, 0, len(site.Files)+len(site.Media))
	for k := range site.Files {
		keys = append(keys, k)
	}
	for k := range site.Media {
		if _, doc := site.Files[k]; !doc {
			keys = append(keys, k)
		}
	}
	slices.SortFunc(keys, func(x, y string) int {
		if d := stage(x) - stage(y); d != 0 {
			return d
		}
		return strings.Compare(x, y)
	})
	for _, k := range keys {
		want[k] = true
	}
	for len(keys) > 0 {
		n := 1
		for n < len(keys) && stage(keys[n]) == stage(keys[0]) {
			n++
		}
		err := b.run(ctx, keys[:n], &st, func(ctx context.Context, k string) (put, error) {
			if body, doc := site.Files[k]; doc {
				return b.putDocument(ctx, k, body)
			}
			return b.putMedia(ctx, k, site.Media[k])
		})
		if err != nil {
			return err
		}
		keys = keys[n:]
	}
	var stale []string
	for k := range b.held {
		if !want[k] {
			stale = append(stale, k)
		}
	}
	slices.Sort(stale)
	return b.run(ctx, stale, &st, func(ctx context.Context, k string) (put, error) {
		ctx, cancel := context.WithTimeout(ctx, opTimeout)
		defer cancel()
		if err := b.bucket.Delete(ctx, k); err != nil && gcerrors.Code(err) != gcerrors.NotFound {
			return put{}, fmt.Errorf("out %s: delete %s: %w", b.url, k, err)
		}
		return put{deleted: true}, nil
	})
}

// put is what one key's upload, skip or deletion learned: applied to what
// the bucket holds once its stage is done, not while others of the stage
// read it.
type put struct {
	obj      object
	body     []byte // a document's, as sent or found unchanged
	uploaded bool
	deleted  bool
}

// run does one stage: f for each key, up to Parallel at once. The first
// failure stops the rest of the stage and is returned; what succeeded is
// kept all the same.
func (b *Bucket) run(ctx context.Context, keys []string, st *WriteStats, f func(context.Context, string) (put, error)) error {
	done := make([]put, len(keys))
	ok := make([]bool, len(keys))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(Parallel)
	for i, k := range keys {
		if gctx.Err() != nil {
			break
		}
		g.Go(func() error {
			p, err := f(gctx, k)
			if err != nil {
				return err
			}
			done[i], ok[i] = p, true
			return nil
		})
	}
	err := g.Wait()
	for i, k := range keys {
		if !ok[i] {
			continue
		}
		p := done[i]
		switch {
		case p.deleted:
			delete(b.held, k)
			delete(b.sent, k)
			st.Deleted++
			continue
		case p.uploaded:
			b.held[k] = p.obj
			st.Uploaded++
			st.Bytes += p.obj.size
		default:
			st.Unchanged++
		}
		if p.body != nil {
			b.sent[k] = p.body
		}
	}
	if err == nil && slices.Contains(ok, false) {
		// ctx ended before every key was begun.
		err = fmt.Errorf("out %s: %w", b.url, context.Cause(ctx))
	}
	return err
}

func (b *Bucket) putDocument(ctx context.Context, key string, body []byte) (put, error) {
	if last, ok := b.sent[key]; ok && len(last) == len(body) && (len(body) == 0 || &last[0] == &body[0]) {
		if _, held := b.held[key]; held {
			return put{}, nil
		}
	}
	sum := md5.Sum(body)
	if have, ok := b.held[key]; ok && slices.Equal(have.md5, sum[:]) {
		return put{body: body}, nil
	}
	ctx, cancel := context.WithTimeout(ctx, opTimeout)
	defer cancel()
	opts := &blob.WriterOptions{ContentType: publish.ContentType(key), CacheControl: publish.CacheControl(key), ContentMD5: sum[:]}
	if err := b.bucket.WriteAll(ctx, key, body, opts); err != nil {
		return put{}, fmt.Errorf("out %s: upload %s: %w", b.url, key, err)
	}
	return put{obj: object{md5: sum[:], size: int64(len(body))}, body: body, uploaded: true}, nil
}

// putMedia uploads a file the documents link to, streamed, unless the
// bucket holds an object of its size under its key: a recording does not
// change under its name, and reading every one of a large archive again at
// each start to hash it would cost more than it could save.
func (b *Bucket) putMedia(ctx context.Context, key, path string) (put, error) {
	f, err := os.Open(path)
	if err != nil {
		return put{}, fmt.Errorf("out %s: %s: %w", b.url, key, err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return put{}, fmt.Errorf("out %s: %s: %w", b.url, key, err)
	}
	if have, ok := b.held[key]; ok && have.size == info.Size() {
		return put{}, nil
	}
	ctx, cancel := context.WithTimeout(ctx, mediaTimeout)
	defer cancel()
	w, err := b.bucket.NewWriter(ctx, key, &blob.WriterOptions{ContentType: publish.ContentType(strings.ToLower(key)), CacheControl: publish.CacheMedia})
	if err != nil {
		return put{}, fmt.Errorf("out %s: upload %s: %w", b.url, key, err)
	}
	h := md5.New()
	n, err := io.Copy(io.MultiWriter(w, h), f)
	if err != nil {
		cancel() // abandons the upload: no half object is written
		w.Close()
		return put{}, fmt.Errorf("out %s: upload %s: %w", b.url, key, err)
	}
	if err := w.Close(); err != nil {
		return put{}, fmt.Errorf("out %s: upload %s: %w", b.url, key, err)
	}
	if n != info.Size() {
		return put{}, fmt.Errorf("out %s: upload %s: the file changed while it was read (%d bytes, then %d)", b.url, key, info.Size(), n)
	}
	return put{obj: object{md5: h.Sum(nil), size: n}, uploaded: true}, nil
}
