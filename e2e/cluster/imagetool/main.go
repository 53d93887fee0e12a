// Command imagetool makes the small container images of wsfleet's single-node test
// cluster without a container engine: one layer from a directory tree, a config with
// entrypoint, user and environment, written as a docker-archive tar that
// `ctr images import` accepts.
//
//	imagetool -dir ROOTFS -ref docker.io/wsfleet/pause:0.1.0 -out pause.tar \
//	    -entrypoint /pause -user 10001:10001 -env PATH=/usr/bin:/bin
package main

import (
	"archive/tar"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
)

type list []string

func (l *list) String() string     { return strings.Join(*l, ",") }
func (l *list) Set(v string) error { *l = append(*l, v); return nil }

func main() {
	var (
		dir, ref, out, user, workdir string
		entrypoint, cmd, env, labels list
	)
	flag.StringVar(&dir, "dir", "", "directory whose tree becomes the image's only layer")
	flag.StringVar(&ref, "ref", "", "image reference, e.g. docker.io/wsfleet/pause:0.1.0")
	flag.StringVar(&out, "out", "", "docker-archive tar to write")
	flag.StringVar(&user, "user", "", "user[:group] the process runs as")
	flag.StringVar(&workdir, "workdir", "/", "working directory")
	flag.Var(&entrypoint, "entrypoint", "entrypoint argument (repeat for each)")
	flag.Var(&cmd, "cmd", "default argument (repeat for each)")
	flag.Var(&env, "env", "NAME=value (repeat for each)")
	flag.Var(&labels, "label", "key=value (repeat for each)")
	flag.Parse()
	if dir == "" || ref == "" || out == "" || len(entrypoint) == 0 {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(dir, ref, out, user, workdir, entrypoint, cmd, env, labels); err != nil {
		fmt.Fprintln(os.Stderr, "imagetool:", err)
		os.Exit(1)
	}
}

func run(dir, ref, out, user, workdir string, entrypoint, cmd, env, labels []string) error {
	tag, err := name.NewTag(ref)
	if err != nil {
		return err
	}
	layerTar := out + ".layer.tar"
	defer os.Remove(layerTar)
	if err := writeTree(dir, layerTar); err != nil {
		return fmt.Errorf("layer from %s: %w", dir, err)
	}
	layer, err := tarball.LayerFromFile(layerTar)
	if err != nil {
		return err
	}
	labelMap := map[string]string{}
	for _, l := range labels {
		k, v, ok := strings.Cut(l, "=")
		if !ok {
			return fmt.Errorf("label %q is not key=value", l)
		}
		labelMap[k] = v
	}
	epoch := v1.Time{Time: time.Unix(0, 0).UTC()}
	cfg := &v1.ConfigFile{
		Architecture: "amd64",
		OS:           "linux",
		Created:      epoch,
		Config: v1.Config{
			Entrypoint: entrypoint,
			Cmd:        cmd,
			Env:        env,
			User:       user,
			WorkingDir: workdir,
			Labels:     labelMap,
		},
		RootFS: v1.RootFS{Type: "layers"},
	}
	img, err := mutate.ConfigFile(empty.Image, cfg)
	if err != nil {
		return err
	}
	img, err = mutate.Append(img, mutate.Addendum{
		Layer:   layer,
		History: v1.History{Created: epoch, CreatedBy: "wsfleet imagetool: " + filepath.Base(dir)},
	})
	if err != nil {
		return err
	}
	tmp := out + ".tmp"
	if err := tarball.WriteToFile(tmp, tag, img); err != nil {
		return err
	}
	return os.Rename(tmp, out)
}

// writeTree writes dir's tree as a reproducible tar: entries in lexical order, owned by
// root, modification time zero, symbolic links kept as links.
func writeTree(dir, dst string) (err error) {
	f, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	tw := tar.NewWriter(f)
	walkErr := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil || rel == "." {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		link := ""
		if info.Mode()&fs.ModeSymlink != 0 {
			if link, err = os.Readlink(path); err != nil {
				return err
			}
		}
		hdr, err := tar.FileInfoHeader(info, link)
		if err != nil {
			return err
		}
		hdr.Name = filepath.ToSlash(rel)
		if info.IsDir() {
			hdr.Name += "/"
		}
		hdr.Uid, hdr.Gid, hdr.Uname, hdr.Gname = 0, 0, "", ""
		hdr.ModTime, hdr.AccessTime, hdr.ChangeTime = time.Unix(0, 0), time.Time{}, time.Time{}
		hdr.Format = tar.FormatPAX
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		if !info.Mode().IsRegular() {
			return nil
		}
		src, err := os.Open(path)
		if err != nil {
			return err
		}
		defer src.Close()
		_, err = io.Copy(tw, src)
		return err
	})
	return errors.Join(walkErr, tw.Close())
}
