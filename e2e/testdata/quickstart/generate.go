package main

// The generator runs as a tool of this module (go get -tool github.com/ncws/ncws/cmd/ncws), at
// the version go.mod pins, and survives go mod tidy.
//
// Package mydev: mydevice's types, MydeviceServer, its client and notifier, the schema.
//go:generate go tool ncws gen -o mydev --package mydev mydevice.yang
//
// Package ext: the module that augments mydevice, with mydevice itself, so that ext.Mydevice_System has
// the augmented leaf Location.
//go:generate go tool ncws gen -o ext --package ext mydevice.yang mydevice-ext.yang
