//go:build !linux

package server

import (
	"io"
	"math"
)

// Without memfd_create and sendfile every body is written from memory.

const sendfileMin = math.MaxInt

type memBody struct{}

func newMemBody([]byte) (*memBody, error) { return nil, nil }

func (m *memBody) retire() {}

type memReader struct{ io.Reader }

func (s *Server) newMemReader(*memBody) *memReader { return nil }
